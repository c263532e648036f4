Feature: 粤商通 face login and the personal account
  In the 粤商通 app a person taps [请登录] → [人脸识别登录], enters name and ID number,
  verifies their face in the WeChat mini-program 粤信签 and comes back logged in.

  @A1 @A3 @api @ui
  Scenario: The first face login creates the real-name personal account
    When 田军 logs in with face recognition
    Then 田军 is logged in to a personal account in the name 田军
    And the face provider verified 田军 once

  @A3 @api
  Scenario: A second face login uses the same personal account
    Given 田军 has logged in with face recognition
    When 田军 logs in with face recognition again
    Then 田军 is logged in to the same personal account as before

  @A3 @api @ui
  Scenario: [退出登录] ends the session
    Given 田军 has logged in with face recognition
    When 田军 logs out of 粤商通
    Then 田军 is not logged in
    And the session 田军 logged out of no longer works

  @A1 @api @ui
  Scenario Outline: A failed face check shows the documented message and logs nobody in
    Given the face provider will answer <outcome> for 田军
    When 田军 tries to log in with face recognition
    Then 田军 is told "<message>"
    And 田军 is not logged in
    And no personal account was created

    Examples:
      | outcome           | message                        |
      | PORTRAIT_MISMATCH | 人像比对未通过                 |
      | PHOTO_QUALITY     | 人像照片质量不合格             |
      | NO_PORTRAIT       | 验证失败，请到登记窗口办理业务 |
      | SYSTEM_BUSY       | 验证失败，请稍后重试           |
      | OUTDATED_CONTROL  | 请升级到最新版本               |

  @A1 @H2 @api @ui
  Scenario Outline: An unreachable face provider shows 验证失败，请稍后重试 and logs nobody in
    Given the face provider will fail with <fault> for 田军
    When 田军 tries to log in with face recognition
    Then 田军 is told "验证失败，请稍后重试"
    And 田军 is not logged in
    And no personal account was created

    Examples:
      | fault   |
      | http500 |
      | timeout |
      | reset   |

  @A1 @api @ui
  Scenario: Someone else's face does not log in to your account
    When 黄丽燕 tries to log in with face recognition as 田军
    Then 黄丽燕 is told "人像比对未通过"
    And no personal account was created

  @A1 @api @ui
  Scenario: An ID number that fails its check digit is refused before any face check
    When 田军 tries to start a face login with ID number "110105194912310021"
    Then 田军 is refused with 400 "INVALID_ID_NUMBER" "请输入正确的身份证号码"
    And nothing was stored
    And the face provider was never called

  @A1 @api @ui
  Scenario Outline: An ID number that cannot exist is refused before any face check, even with a valid check digit
    When 田军 tries to start a face login with ID number "<ID number>"
    Then 田军 is refused with 400 "INVALID_ID_NUMBER" "请输入正确的身份证号码"
    And nothing was stored
    And the face provider was never called

    Examples:
      | ID number          | what is wrong                               |
      | 00000019900101123X | region 000000 is no administrative division |
      | 990101199001011230 | region 990101 is no administrative division |
      | 110105202302291236 | 29 February of a non-leap year              |
      | 440106202611241235 | born the day after the run's today          |

  @A1 @H1 @api @ui
  Scenario: A birth date is in the future relative to the run's clock, not the wall clock
    Given the date and time is 2020-06-01 09:00:00
    When 田军 tries to start a face login with ID number "440106202401011239"
    Then 田军 is refused with 400 "INVALID_ID_NUMBER" "请输入正确的身份证号码"
    And nothing was stored

  @A3 @ui @screenshot
  Scenario: 我的 shows the real-name personal account made at the first face login
    When 田军 logs in with face recognition
    Then 田军 is logged in to a personal account in the name 田军
    And the screen 田军 sees is kept as "yueshangtong-me"
