Feature: 粤商通 enterprise accounts
  After face login every enterprise whose legal representative is the person gets a
  certified (已认证) enterprise account; others add enterprises, which stay 未认证 until the
  legal representative certifies them by face.

  Background:
    Given 田军 is the legal representative of 数字广东网络建设有限公司

  @B1 @api @ui
  Scenario: The legal representative's enterprise is linked automatically and certified
    When 田军 logs in with face recognition
    Then 田军 may act for 数字广东网络建设有限公司 in an account that is 已认证 and applied for by "田*"

  @B2 @api @ui
  Scenario: Choosing an enterprise to act for
    Given 田军 has logged in with face recognition
    When 田军 chooses to act for 数字广东网络建设有限公司
    Then 田军 is acting for 数字广东网络建设有限公司

  @B2 @api @ui
  Scenario: Nobody acts for an enterprise before choosing one
    Given 田军 has logged in with face recognition
    When 田军 tries to look at the enterprise he acts for
    Then 田军 is refused with 409 "NO_ACTING_ENTERPRISE" "请选择办事企业"

  @B3 @api @ui
  Scenario: Someone who is not the legal representative adds the enterprise: a second, 未认证 account
    Given 田军 has logged in with face recognition
    And 黄丽燕 has logged in with face recognition
    When 黄丽燕 adds the enterprise 数字广东网络建设有限公司
    Then 数字广东网络建设有限公司 has 2 accounts: one 已认证 applied for by "田*" and one 未认证 applied for by "黄**"
    And 黄丽燕 may act for 数字广东网络建设有限公司 in an account that is 未认证 and applied for by "黄**"

  @B3 @api @ui
  Scenario: An enterprise that is not registered cannot be added
    Given 黄丽燕 has logged in with face recognition
    When 黄丽燕 tries to add the enterprise 不存在的公司 with code "91440000MA4X777A89"
    Then 黄丽燕 is refused with 404 "ENTERPRISE_NOT_FOUND" "未查询到该企业，请核对企业名称和统一社会信用代码"

  @B3 @api @ui
  Scenario: A malformed credit code is refused and nothing is stored
    Given 黄丽燕 has logged in with face recognition
    When 黄丽燕 tries to add the enterprise 数字广东网络建设有限公司 with code "91440000MA4X777A88"
    Then 黄丽燕 is refused with 400 "INVALID_USCC" "请输入正确的统一社会信用代码"
    And nothing was stored

  @B4 @H3 @api @ui
  Scenario: The legal representative certifies an account by face
    Given 黄丽燕 has added 数字广东网络建设有限公司 as an enterprise of hers
    When 黄丽燕 asks for certification of 数字广东网络建设有限公司
    Then 田军 receives an SMS containing "邀请您认证数字广东网络建设有限公司"
    When 田军 certifies 数字广东网络建设有限公司 from the link
    Then 黄丽燕 may act for 数字广东网络建设有限公司 in an account that is 已认证 and applied for by "黄**"

  @B4 @api @ui
  Scenario: Only the legal representative's face certifies
    Given 黄丽燕 has added 数字广东网络建设有限公司 as an enterprise of hers
    And 黄丽燕 has asked for certification of 数字广东网络建设有限公司
    When 黄丽燕 tries to certify 数字广东网络建设有限公司 from the link with her own face
    Then 黄丽燕 is told "人像比对未通过"
    And 黄丽燕 may act for 数字广东网络建设有限公司 in an account that is 未认证 and applied for by "黄**"

  @B2 @B3 @ui @screenshot
  Scenario: 请选择办事企业 lists every account the person may use, each with its trust and applicant
    Given 田军 has logged in with face recognition
    And 黄丽燕 has added 数字广东网络建设有限公司 as an enterprise of hers
    Then 黄丽燕 may act for 数字广东网络建设有限公司 in an account that is 未认证 and applied for by "黄**"
    And the screen 黄丽燕 sees is kept as "yueshangtong-enterprises"
