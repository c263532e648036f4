Feature: 企业风险预警 on the edges of time
  Red and orange warnings must be fed back within their week (by Sunday 23:59:59); feedback that
  comes later is still taken, and shown as 逾期反馈 rather than 已反馈. Nothing can be signed or
  fed back before the warning was issued, nor fed back before it was signed, even when a run's
  clock is set back past those moments.

  Background:
    Given 黄丽燕 is the legal representative of 中山市赢利化工运输有限公司
    And 中山市赢利化工运输有限公司 is a transport enterprise

  @D7 @H1 @api @ui
  Scenario Outline: Feedback after the week is recorded and shown as 逾期反馈 where it was due
    Given the risk source rates 中山市赢利化工运输有限公司 <level> for the week of 2026-11-23
    And the weekly fan-out has run for the week of 2026-11-23
    And 黄丽燕 has entered the enterprise account of 中山市赢利化工运输有限公司
    And 黄丽燕 has signed the warning of the week of 2026-11-23
    When the date becomes 2026-11-30
    Then the period of 2026-11-23 is "<before>"
    When 黄丽燕 feeds back on the week of 2026-11-23 with the measures SUSPEND_RED_VEHICLES, SAFETY_TRAINING
    Then the period of 2026-11-23 is "<after>"
    And the feedback of 2026-11-23 still has the measures SUSPEND_RED_VEHICLES, SAFETY_TRAINING

    Examples:
      | level  | before     | after    |
      | RED    | 逾期未反馈 | 逾期反馈 |
      | ORANGE | 逾期未反馈 | 逾期反馈 |
      | YELLOW | 已签收     | 已反馈   |

  @D7 @H1 @api @ui
  Scenario: Feedback in the last second of the week is on time
    Given the risk source rates 中山市赢利化工运输有限公司 RED for the week of 2026-11-23
    And the weekly fan-out has run for the week of 2026-11-23
    And 黄丽燕 has entered the enterprise account of 中山市赢利化工运输有限公司
    And 黄丽燕 has signed the warning of the week of 2026-11-23
    When the date and time is 2026-11-29 23:59:59
    And 黄丽燕 feeds back on the week of 2026-11-23 with the measures SUSPEND_RED_VEHICLES, SAFETY_TRAINING
    Then the period of 2026-11-23 is "已反馈"
    When 1s passes
    Then the period of 2026-11-23 is "已反馈"

  @D6 @H1 @api @ui
  Scenario: Nothing is signed before it was issued, even with the clock set back
    Given the weekly fan-out has run for the week of 2026-11-23
    And 黄丽燕 has entered the enterprise account of 中山市赢利化工运输有限公司
    When the date and time is 2026-11-23 08:59:59
    And 黄丽燕 tries to sign the warning of the week of 2026-11-23
    Then 黄丽燕 is refused with 409 "WARNING_NOT_YET_ISSUED" "该周期风险预警尚未发布，暂不能签收"
    And nothing was stored
    When the date and time is 2026-11-23 09:30:00
    Then the warning of 2026-11-23 is not signed
    When 黄丽燕 signs the warning of the week of 2026-11-23
    Then the warning of 2026-11-23 shows it was signed by 黄丽燕 at "2026-11-23 09:30:00"

  @D7 @H1 @api @ui
  Scenario: Nothing is fed back before it was issued or signed, even with the clock set back
    Given the risk source rates 中山市赢利化工运输有限公司 RED for the week of 2026-11-23
    And the weekly fan-out has run for the week of 2026-11-23
    And 黄丽燕 has entered the enterprise account of 中山市赢利化工运输有限公司
    And 1h passes
    And 黄丽燕 has signed the warning of the week of 2026-11-23
    When the date and time is 2026-11-23 09:30:00
    And 黄丽燕 tries to feed back on the week of 2026-11-23
    Then 黄丽燕 is refused with 409 "NOT_SIGNED" "请先签收预警信息"
    And nothing was stored
    When the date and time is 2026-11-23 08:30:00
    And 黄丽燕 tries to feed back on the week of 2026-11-23
    Then 黄丽燕 is refused with 409 "WARNING_NOT_YET_ISSUED" "该周期风险预警尚未发布，暂不能填报反馈"
    And nothing was stored
    When the date and time is 2026-11-23 10:00:00
    And 黄丽燕 feeds back on the week of 2026-11-23 with the measures SUSPEND_RED_VEHICLES, SAFETY_TRAINING
    Then the period of 2026-11-23 is "已反馈"
