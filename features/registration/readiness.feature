Feature: Readiness of a registration filing
  Before a company, non-company legal person, sole proprietorship, partnership, branch,
  individual business or farmers' cooperative is filed, every natural person in it must be
  verified: level 4, taking part in enterprise registration, before the deadline. Investors
  from Hong Kong, Macao, Taiwan and abroad are exempt.

  Background:
    Given 张伟 is verified for enterprise registration until 2027-03-31
    And 李娜 has registered with the password "Abc12345"

  @C10 @api @ui
  Scenario: A company with a mix of roles lists who is missing what
    When a company filing is checked with:
      | person   | roles                  | origin    |
      | 张伟     | LEGAL_REP, SHAREHOLDER | MAINLAND  |
      | 李娜     | DIRECTOR               | MAINLAND  |
      | 王芳     | SUPERVISOR             | MAINLAND  |
      | 陈大文   | SHAREHOLDER            | HONG_KONG |
    Then the filing is not ready
    And the filing shows:
      | person | status   | missing                                                           |
      | 张伟   | VERIFIED |                                                                   |
      | 李娜   | MISSING  | 未完成四级实名认证, 未同意办理企业登记注册                       |
      | 王芳   | MISSING  | 未在登记注册身份验证APP注册                                       |
      | 陈大文 | EXEMPT   |                                                                   |

  @C10 @api @ui
  Scenario: A filing whose people are all verified or exempt is ready
    When a farmers' cooperative filing is checked with:
      | person | roles                         | origin   |
      | 张伟   | LEGAL_REP, COOPERATIVE_MEMBER | MAINLAND |
      | 彼得   | COOPERATIVE_MEMBER            | FOREIGN  |
    Then the filing is ready

  @C10 @H1 @api @ui
  Scenario: Past the deadline a verified person is missing again
    When the date becomes 2027-04-01
    And an individual business filing is checked with:
      | person | roles               | origin   |
      | 张伟   | INDIVIDUAL_OPERATOR | MAINLAND |
    Then the filing is not ready
    And the filing shows:
      | person | status  | missing                    |
      | 张伟   | MISSING | 企业登记注册截止日期已过   |

  @C10 @api @ui
  Scenario: A role that does not fit the kind of entity is refused
    When a partnership filing is checked with:
      | person | roles    | origin   |
      | 张伟   | DIRECTOR | MAINLAND |
    Then the check is refused with 400 "ROLE_NOT_APPLICABLE" "“董事”不适用于合伙企业"
