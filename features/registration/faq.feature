Feature: The registration app's FAQ outcomes
  The guide's FAQ is the error taxonomy: each outcome has a stable code and the guide's
  message, and each is reached by scripting the providers.

  @C11 @api @ui
  Scenario Outline: Identity-check outcomes at registration
    Given the identity provider will answer <outcome> for 张伟
    When 张伟 tries to register in the registration app
    Then 张伟 is refused with <status> "<code>" "<message>"
    And nothing was stored

    Examples:
      | outcome    | status | code       | message                                              |
      | NOT_SYNCED | 422    | NOT_SYNCED | 实名核验未通过，最近换领或申请的身份证信息尚未同步   |
      | MISMATCH   | 422    | MISMATCH   | 验证失败，请检查输入信息                             |

  @C11 @api @ui
  Scenario Outline: Face outcomes at login by face
    Given 张伟 has registered with the password "Abc12345"
    And the face provider will answer <outcome> for 张伟
    When 张伟 tries to log in to the registration app by face
    Then 张伟 is refused with 422 "<outcome>" "<message>"
    And 张伟 is not logged in to the registration app

    Examples:
      | outcome           | message                        |
      | PORTRAIT_MISMATCH | 人像比对未通过                 |
      | PHOTO_QUALITY     | 人像照片质量不合格             |
      | NO_PORTRAIT       | 验证失败，请到登记窗口办理业务 |
      | SYSTEM_BUSY       | 验证失败，请稍后重试           |
      | OUTDATED_CONTROL  | 请升级到最新版本               |

  @C11 @api
  Scenario: With no portrait on file, a CTID is the remedy
    Given 张伟 has registered with the password "Abc12345"
    And the face provider will answer NO_PORTRAIT for 张伟
    When 张伟 tries to log in to the registration app by face
    Then 张伟 is refused with 422 "NO_PORTRAIT" "验证失败，请到登记窗口办理业务"
    And 张伟 is offered the CTID remedy
    When 张伟 verifies with his CTID and completes the login
    Then 张伟 is logged in to the registration app

  @C11 @api
  Scenario: A CTID that fails is no remedy
    Given 张伟 has registered with the password "Abc12345"
    And the face provider will answer NO_PORTRAIT for 张伟
    And the CTID provider will answer FAIL for 张伟
    When 张伟 tries to log in to the registration app by face
    Then 张伟 is refused with 422 "NO_PORTRAIT" "验证失败，请到登记窗口办理业务"
    When 张伟 tries to verify with his CTID
    Then 张伟 is refused with 422 "FAIL" "CTID认证未通过"

  @C11 @H2 @api @ui
  Scenario: An unreachable face provider at login
    Given 张伟 has registered with the password "Abc12345"
    And the face provider will fail with http503 for 张伟
    When 张伟 tries to log in to the registration app by face
    Then 张伟 is refused with 502 "PROVIDER_UNAVAILABLE" "验证失败，请稍后重试"
