Feature: 粤商通 agents, delegation and isolation
  The legal representative adds agents (经办人) under an enterprise account; each agent
  verifies their face from a shared link. Agents may add further agents and link to
  certified accounts with the applicant's consent. Authorisations end and can be revoked.

  Background:
    Given 田军 is the legal representative of 数字广东网络建设有限公司
    And 田军 has logged in with face recognition

  @B5 @H3 @api @ui
  Scenario: Adding an agent who verifies their face from the link
    When 田军 adds 黄丽燕 as an agent of 数字广东网络建设有限公司 until 长期有效
    And 黄丽燕 verifies her face from the invitation to 数字广东网络建设有限公司
    Then 黄丽燕 receives an SMS containing "您已认证成功并成为数字广东网络建设有限公司(已认证)的经办人"
    And the agents of 数字广东网络建设有限公司 show 黄丽燕 with masked ID and phone, joined today, until 9999-12-31
    When 黄丽燕 logs in with face recognition
    Then 黄丽燕 may act for 数字广东网络建设有限公司 in an account that is 已认证 and applied for by "田*"

  @B5 @api @ui
  Scenario: Only the invited person's face accepts an invitation
    Given 田军 has added 黄丽燕 as an agent of 数字广东网络建设有限公司 until 长期有效
    When 李明 tries to accept 黄丽燕's invitation to 数字广东网络建设有限公司 with his own face
    Then 李明 is told "人像比对未通过"
    And the agents of 数字广东网络建设有限公司 show 黄丽燕 as invited

  @B5 @api @ui
  Scenario: An agent with a malformed ID number is refused and nothing is stored
    When 田军 tries to add 黄丽燕 as an agent of 数字广东网络建设有限公司 with ID number "45000019900101122X"
    Then 田军 is refused with 400 "INVALID_ID_NUMBER" "请输入正确的身份证号码"
    And nothing was stored

  @B6 @api @ui
  Scenario: An agent adds a further agent, within their own authorisation
    Given 黄丽燕 is an agent of 数字广东网络建设有限公司 until 2027-06-30
    When 黄丽燕 adds 李明 as an agent of 数字广东网络建设有限公司 until 2027-06-30
    And 李明 verifies his face from the invitation to 数字广东网络建设有限公司
    And 李明 logs in with face recognition
    Then 李明 may act for 数字广东网络建设有限公司 in an account that is 已认证 and applied for by "田*"

  @B6 @api @ui
  Scenario: An agent cannot authorise beyond their own end date
    Given 黄丽燕 is an agent of 数字广东网络建设有限公司 until 2027-06-30
    When 黄丽燕 tries to add 李明 as an agent of 数字广东网络建设有限公司 until 2027-07-01
    Then 黄丽燕 is refused with 403 "AUTH_BEYOND_OWN" "授权期限不能超过您本人的授权期限（2027-06-30）"

  @B7 @api @ui
  Scenario: Linking to another's certified account with the applicant's consent
    Given 李明 has logged in with face recognition
    When 李明 asks to link to 数字广东网络建设有限公司's account of 田军
    And 田军 consents to 李明 linking to 数字广东网络建设有限公司 until 2027-12-31
    Then 李明's account info for 数字广东网络建设有限公司 shows applicant "田*", joined 2026-11-23, authorised until "2027-12-31"

  @B7 @api @ui
  Scenario: Only certified accounts can be linked to
    Given 黄丽燕 has added 数字广东网络建设有限公司 as an enterprise of hers
    And 李明 has logged in with face recognition
    When 李明 tries to link to 数字广东网络建设有限公司's account of 黄丽燕
    Then 李明 is refused with 409 "ACCOUNT_NOT_CERTIFIED" "只能关联已认证的企业账号"

  @B8 @H1 @api @ui
  Scenario: Past its end date an authorisation grants nothing
    Given 黄丽燕 is an agent of 数字广东网络建设有限公司 until 2027-01-31
    And 黄丽燕 acts for 数字广东网络建设有限公司
    When the date becomes 2027-02-01
    And 黄丽燕 tries to look at the enterprise she acts for
    Then 黄丽燕 is refused with 403 "AUTHORISATION_EXPIRED" "您对该企业账号的授权已过期"

  @B8 @api @ui
  Scenario: The legal representative revokes an agent at once
    Given 黄丽燕 is an agent of 数字广东网络建设有限公司 until 长期有效
    And 黄丽燕 acts for 数字广东网络建设有限公司
    When 田军 revokes 黄丽燕 as an agent of 数字广东网络建设有限公司
    And 黄丽燕 tries to look at the enterprise she acts for
    Then 黄丽燕 is refused with 403 "AUTHORISATION_REVOKED" "您的经办人授权已被撤销"

  @B9 @api @ui
  Scenario Outline: A stranger neither reads nor acts on another enterprise's account
    Given 李明 has logged in with face recognition
    When 李明 tries to <act> 数字广东网络建设有限公司's account
    Then 李明 is refused with 403 "NOT_A_MEMBER" "您无权访问该企业账号"

    Examples:
      | act                |
      | read the info of   |
      | list the agents of |
      | add an agent to    |
      | act for            |

  @B5 @ui @screenshot
  Scenario: 经办人管理 lists the agents, ID and phone masked, the invited ones too
    Given 黄丽燕 is an agent of 数字广东网络建设有限公司 until 长期有效
    And 田军 has added 李明 as an agent of 数字广东网络建设有限公司 until 2027-06-30
    Then the agents of 数字广东网络建设有限公司 show 黄丽燕 with masked ID and phone, joined today, until 9999-12-31
    And the agents of 数字广东网络建设有限公司 show 李明 as invited
    And the screen 田军 sees is kept as "yueshangtong-agents"
