Feature: 粤商通 phone login with an SMS code
  A person whose personal account has a mobile logs in with that mobile and a 6-digit code
  sent by SMS. Rules (assumed): valid 5 minutes, single use, one send per 60 seconds,
  locked for 15 minutes after 5 wrong tries, counted per mobile across the codes sent to it.
  Every mobile is answered alike, whether a real-name account holds it or not.

  Background:
    Given 田军 has logged in with face recognition

  @A2 @H3 @api @ui
  Scenario: Log in with the code from the SMS
    When 田军 asks for a login code
    Then 田军 receives an SMS with a 6-digit code
    When 田军 logs in with the code from the SMS
    Then 田军 is logged in to a personal account in the name 田军

  @A2 @H1 @api @ui
  Scenario: A code expires after 5 minutes
    Given 田军 has asked for a login code
    When 5m1s pass
    And 田军 tries to log in with the code from the SMS
    Then 田军 is refused with 400 "CODE_EXPIRED" "验证码已失效，请重新获取"

  @A2 @api @ui
  Scenario: A code works once
    Given 田军 has asked for a login code
    And 田军 has logged in with the code from the SMS
    When 田军 tries to log in with the code from the SMS
    Then 田军 is refused with 400 "CODE_EXPIRED" "验证码已失效，请重新获取"

  @A2 @H1 @api @ui
  Scenario: Codes are sent at most once every 60 seconds
    Given 田军 has asked for a login code
    When 59s pass
    And 田军 tries to ask for a login code
    Then 田军 is refused with 429 "SMS_TOO_FREQUENT" "验证码发送过于频繁，请1秒后再试"
    When 1s pass
    And 田军 asks for a login code
    Then 田军 has received 2 SMS messages

  @A2 @api @ui
  Scenario: Five wrong codes lock the mobile, even against the right code
    Given 田军 has asked for a login code
    When 田军 enters a wrong code 4 times
    Then 田军 is refused with 400 "CODE_INVALID" "验证码错误，还可尝试1次"
    When 田军 enters a wrong code 1 time
    Then 田军 is refused with 429 "CODE_LOCKED" "验证码错误次数过多，请15分钟后再试"
    When 田军 tries to log in with the code from the SMS
    Then 田军 is refused with 429 "CODE_LOCKED" "验证码错误次数过多，请15分钟后再试"

  @A2 @H1 @api @ui
  Scenario: Wrong codes count across new codes: a resend does not start the count again
    Given 田军 has asked for a login code
    When 田军 enters a wrong code 4 times
    And 61s pass
    And 田军 asks for a login code
    And 田军 enters a wrong code 1 time
    Then 田军 is refused with 429 "CODE_LOCKED" "验证码错误次数过多，请15分钟后再试"
    When 田军 tries to ask for a login code
    Then 田军 is refused with 429 "CODE_LOCKED" "验证码错误次数过多，请15分钟后再试"
    When 15m pass
    And 田军 asks for a login code
    And 田军 logs in with the code from the SMS
    Then 田军 is logged in to a personal account in the name 田军

  @A2 @api @ui
  Scenario: A mobile without a real-name account is answered as any other, and gets no code
    When 田军 asks for a login code
    And 黄丽燕 asks for a login code
    Then 黄丽燕 was answered as 田军 was
    And 黄丽燕 has received 0 SMS messages
    When 黄丽燕 tries to log in with the code "000000"
    Then 黄丽燕 is refused with 400 "CODE_INVALID" "验证码错误，还可尝试4次"
    When 黄丽燕 tries to ask for a login code
    Then 黄丽燕 is refused with 429 "SMS_TOO_FREQUENT" "验证码发送过于频繁，请60秒后再试"

  @A2 @api @ui
  Scenario: A malformed mobile is refused and nothing is sent
    When 田军 tries to ask for a login code for "12345678901"
    Then 田军 is refused with 400 "INVALID_MOBILE" "请输入正确的手机号码"
    And nothing was stored

  @A2 @H2 @api @ui
  Scenario: When the SMS gateway fails, nothing is kept and the next try may follow at once
    Given the SMS gateway will answer SEND_FAILED for 田军
    When 田军 tries to ask for a login code
    Then 田军 is refused with 502 "SMS_SEND_FAILED" "短信发送失败，请稍后重试"
    And nothing was stored
    When 田军 asks for a login code
    Then 田军 receives an SMS with a 6-digit code
