Feature: 登记注册身份验证 app: account management
  In 账号管理 a user changes their phone after a face check, raises their real-name level to 4
  by face, answers whether they take part in enterprise registration, changes their password
  and logs out.

  Background:
    Given 张伟 has registered with the password "Abc12345"
    And 张伟 has logged in with the password "Abc12345"

  @C6 @api @ui
  Scenario: Change the phone number after a face check
    When 张伟 changes his mobile to "13912345678" after a face check
    Then 张伟's account shows the mobile "13912345678"

  @C6 @api @ui
  Scenario: Someone else's face does not change the phone number
    When 李娜 tries to change 张伟's mobile to "13912345678" with her own face
    Then 李娜 is told "人像比对未通过"
    And 张伟's account shows his own mobile

  @C6 @api @ui
  Scenario: A malformed new mobile is refused and nothing is stored
    When 张伟 tries to change his mobile to "23912345678" after a face check
    Then 张伟 is refused with 400 "INVALID_MOBILE" "请输入正确的手机号码"
    And 张伟's account shows his own mobile

  @C7 @api @ui
  Scenario: A face check raises the real-name level to 4
    When 张伟 raises his real-name level by face
    Then 张伟 is a registered user at 四级实名

  @C8 @api @ui
  Scenario: Only level 4 may take part in enterprise registration
    When 张伟 tries to take part in enterprise registration until 2026-12-31
    Then 张伟 is refused with 403 "LEVEL_4_REQUIRED" "只有四级实名的用户才可以参与企业登记注册"

  @C8 @H1 @api @ui
  Scenario: After the deadline the authorisation is invalid
    Given 张伟 has raised his real-name level by face
    When 张伟 takes part in enterprise registration until 2026-12-31
    Then 张伟's enterprise registration authorisation is 有效
    When the date becomes 2027-01-01
    Then 张伟's enterprise registration authorisation is 已过截止日期，无效

  @C9 @api @ui
  Scenario: Changing the password ends every session
    When 张伟 changes the password from "Abc12345" to "Changed2027"
    Then 张伟's earlier session no longer works
    And 张伟 can log in with the password "Changed2027"

  @C9 @api @ui
  Scenario: The old password must be right
    When 张伟 tries to change the password from "Wrong1234" to "Changed2027"
    Then 张伟 is refused with 400 "OLD_PASSWORD_WRONG" "原密码错误"

  @C9 @api @ui
  Scenario: Logging out ends the session
    When 张伟 logs out of the registration app
    Then 张伟's earlier session no longer works
