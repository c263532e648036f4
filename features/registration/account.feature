Feature: 登记注册身份验证 app: registering, activating and logging in
  Natural persons of a Shandong registration filing verify their identity in the app: they
  register with their four ID elements, activate when the province says so, and log in with
  ID + password or ID + face. Passwords: 8–20 characters with letters and digits, argon2id
  hashes; five wrong passwords lock the ID number for 30 minutes, registered or not; only time
  or the owner's activation or reset by face lifts it. Whether an ID is registered, and under
  which name, is told only to someone who holds its four elements or its face.

  @C1 @C7 @api
  Scenario: A new user registers and is at real-name level 3
    When 张伟 registers in the registration app
    Then 张伟 is a registered user at 三级实名
    And the identity provider checked 张伟's four elements

  @C1 @api @ui
  Scenario Outline: Bad registration input is refused and nothing is stored
    When 张伟 tries to register with <field> "<value>"
    Then 张伟 is refused with 400 "<code>" "<message>"
    And nothing was stored

    Examples:
      | field            | value                    | code               | message                                   |
      | ID number        | 110105194912310021       | INVALID_ID_NUMBER  | 请输入正确的身份证号码                    |
      | mobile           | 1234567890               | INVALID_MOBILE     | 请输入正确的手机号码                      |
      | password         | abcdefgh                 | WEAK_PASSWORD      | 密码须为8-20位，且同时包含字母和数字      |
      | confirm password | Different123             | PASSWORD_MISMATCH  | 两次输入的密码不一致                      |
      | ID validity      | 2016-05-01 to 2012-05-01 | ID_DATES_INVALID   | 身份证有效期结束日期须晚于开始日期        |
      | ID validity      | 2006-05-01 to 2016-05-01 | ID_EXPIRED         | 身份证已过期，请使用有效期内的身份证      |
      | agreement        | not accepted             | AGREEMENT_REQUIRED | 请阅读并同意《用户协议》                  |

  @C2 @api @ui
  Scenario: A province user activates on the national platform with name, ID and face
    Given the identity provider will answer PROVINCE_ACTIVATION for 张伟
    When 张伟 tries to register in the registration app
    Then 张伟 is refused with 409 "ACTIVATION_REQUIRED" "省用户需要在国家平台激活"
    When 张伟 activates the account by face with the password "Newpass2027"
    Then 张伟 can log in with the password "Newpass2027"

  @C3 @C11 @api @ui
  Scenario: Registering again says 账号已注册，请直接登录; any password then leads into activation
    Given 张伟 has registered with the password "Abc12345"
    When 张伟 tries to register in the registration app
    Then 张伟 is refused with 409 "ALREADY_REGISTERED" "账号已注册，请直接登录"
    When 张伟 tries to log in with the password "anything1"
    Then 张伟 is refused with 409 "ACTIVATION_REQUIRED" "请通过账号激活（姓名、身份证号、刷脸）重置密码"
    When 张伟 activates the account by face with the password "Reset2027x"
    Then 张伟 can log in with the password "Reset2027x"
    And 张伟 cannot log in with the password "Abc12345"

  @C4 @api @ui
  Scenario: Log in with ID and password
    Given 张伟 has registered with the password "Abc12345"
    When 张伟 logs in with the password "Abc12345"
    Then 张伟 is logged in to the registration app

  @C4 @api @ui
  Scenario: Log in with ID and face
    Given 张伟 has registered with the password "Abc12345"
    When 张伟 logs in to the registration app by face
    Then 张伟 is logged in to the registration app

  @C4 @H1 @api @ui
  Scenario: Five wrong passwords lock the account for 30 minutes
    Given 张伟 has registered with the password "Abc12345"
    When 张伟 tries the wrong password 4 times
    Then 张伟 is refused with 401 "LOGIN_FAILED" "身份证号或密码错误，还可尝试1次"
    When 张伟 tries the wrong password 1 time
    Then 张伟 is refused with 423 "ACCOUNT_LOCKED" "密码错误次数过多，账号已锁定，请30分钟后再试"
    When 张伟 tries to log in with the password "Abc12345"
    Then 张伟 is refused with 423 "ACCOUNT_LOCKED" "密码错误次数过多，账号已锁定，请30分钟后再试"
    When 30m pass
    Then 张伟 can log in with the password "Abc12345"

  @C5 @api @ui
  Scenario: Forgot password: name, ID and face, then a new password
    Given 张伟 has registered with the password "Abc12345"
    And 张伟 has logged in with the password "Abc12345"
    When 张伟 resets the password by face to "Forgot2027"
    Then 张伟 can log in with the password "Forgot2027"
    And 张伟 cannot log in with the password "Abc12345"
    And 张伟's earlier session no longer works

  @C5 @api @ui
  Scenario: Forgot password with a name that does not match the ID
    Given 张伟 has registered with the password "Abc12345"
    When 张伟 tries to reset the password under the name "张卫"
    Then 张伟 is refused with 422 "MISMATCH" "验证失败，请检查输入信息"
    And 张伟 can log in with the password "Abc12345"

  @C4 @api @ui
  Scenario: An ID nobody registered is answered and locked as a registered one is
    When 李娜 tries the wrong password 4 times
    Then 李娜 is refused with 401 "LOGIN_FAILED" "身份证号或密码错误，还可尝试1次"
    When 李娜 tries the wrong password 1 time
    Then 李娜 is refused with 423 "ACCOUNT_LOCKED" "密码错误次数过多，账号已锁定，请30分钟后再试"

  @C3 @C4 @C5 @api @ui
  Scenario: Registering again with someone's ID number does not switch their lock-out off; their reset by face lifts it
    Given 张伟 has registered with the password "Abc12345"
    When 李娜 tries to register with 张伟's ID number
    Then 李娜 is refused with 409 "ALREADY_REGISTERED" "账号已注册，请直接登录"
    When 李娜 tries to log in with 张伟's ID number and a wrong password 4 times
    Then 李娜 is refused with 409 "ACTIVATION_REQUIRED" "请通过账号激活（姓名、身份证号、刷脸）重置密码"
    When 李娜 tries to log in with 张伟's ID number and a wrong password 1 time
    Then 李娜 is refused with 423 "ACCOUNT_LOCKED" "密码错误次数过多，账号已锁定，请30分钟后再试"
    When 李娜 tries to register with 张伟's ID number
    Then 李娜 is refused with 409 "ALREADY_REGISTERED" "账号已注册，请直接登录"
    When 张伟 tries to log in with the password "Abc12345"
    Then 张伟 is refused with 423 "ACCOUNT_LOCKED" "密码错误次数过多，账号已锁定，请30分钟后再试"
    When 张伟 resets the password by face to "Forgot2027"
    Then 张伟 can log in with the password "Forgot2027"
