Feature: 粤商通 weekly enterprise risk warnings
  Every Monday 00:00 a warning period is issued to every hazardous-goods filling enterprise
  (危险货物充装企业) and transport enterprise (运输企业) in scope, with a risk level: 红色(重大风险),
  橙色(较大风险), 黄色(一般风险) or 蓝色(低风险). Users acting for the enterprise sign it and feed
  back: red and orange within the week, yellow and blue if they choose. Overdue feedback gets
  one SMS reminder.

  Background:
    Given a risk world of 1000 enterprises from seed 11
    And 田军 is the legal representative of 茂名市中油天源油品仓储有限公司
    And 茂名市中油天源油品仓储有限公司 is a hazardous-goods filling enterprise
    And 黄丽燕 is the legal representative of 中山市赢利化工运输有限公司
    And 中山市赢利化工运输有限公司 is a transport enterprise

  @D1 @H1 @api @ui
  Scenario: Warnings are issued when the clock reaches Monday 00:00
    Given the date and time is 2026-11-29 23:59:00
    And 田军 has entered the enterprise account of 茂名市中油天源油品仓储有限公司
    When 1m pass
    Then 田军 eventually sees a 危险货物充装企业风险预警 for the week of 2026-11-30 issued at "2026-11-30 00:00:00"

  @D1 @H5 @api @ui
  Scenario: Issuing a week twice gives every enterprise in scope one warning
    When the weekly fan-out runs for the week of 2026-11-23
    And the weekly fan-out runs for the week of 2026-11-23 again
    Then the week of 2026-11-23 was issued to all 1002 enterprises in scope, once each

  @D1 @H1 @api @ui
  Scenario: The week rolls over on the clock
    Given the weekly fan-out has run for the week of 2026-11-23
    And 黄丽燕 has entered the enterprise account of 中山市赢利化工运输有限公司
    When 7d pass
    Then 黄丽燕 eventually sees the periods 2026-11-30, 2026-11-23 with their level and 未签收

  @D2 @api @ui
  Scenario: The popup comes back at the next login that week after [稍后处理]
    Given the weekly fan-out has run for the week of 2026-11-23
    When 田军 enters the enterprise account of 茂名市中油天源油品仓储有限公司
    Then 田军 is shown the popup 危险货物充装企业风险预警 with [查看] and [稍后处理]
    When 田军 chooses [稍后处理]
    Then 田军 is shown no popup
    When 田军 enters the enterprise account of 茂名市中油天源油品仓储有限公司 again
    Then 田军 is shown the popup 危险货物充装企业风险预警 with [查看] and [稍后处理]

  @D2 @D6 @api @ui
  Scenario: A signed warning pops up no more; search reaches the warnings
    Given the weekly fan-out has run for the week of 2026-11-23
    And 田军 has entered the enterprise account of 茂名市中油天源油品仓储有限公司
    When 田军 signs the warning of the week of 2026-11-23
    And 田军 enters the enterprise account of 茂名市中油天源油品仓储有限公司 again
    Then 田军 is shown no popup
    And searching [风险预警] finds 风险预警 for 田军

  @D3 @D4 @api @ui
  Scenario: The filling enterprise's view
    Given the weekly fan-out has run for the week of 2026-11-23
    When 田军 enters the enterprise account of 茂名市中油天源油品仓储有限公司
    Then 田军 sees the enterprise 茂名市中油天源油品仓储有限公司 with its credit code
    And the current warning of 2026-11-23 with the advice "请你公司谨慎选用红色风险等级的运输企业、运输车辆"
    And at most 20 risk vehicles inside and 20 outside the province, the riskiest first
    And the periods with date and status "待签收"
    When 田军 opens the first vehicle inside the province
    Then 田军 sees its owning enterprise, risk level, 监控预警, 定位预警 and 违章信息

  @D5 @D4 @api @ui
  Scenario: The transport enterprise's view
    Given the weekly fan-out has run for the weeks of 2026-11-16 and 2026-11-23
    When 黄丽燕 enters the enterprise account of 中山市赢利化工运输有限公司
    Then 黄丽燕 sees the periods 2026-11-23, 2026-11-16 with their level and 未签收
    When 黄丽燕 opens the period of 2026-11-23
    Then 黄丽燕 sees the counts of 违法预警, 小微预警, 失信, 监控预警, 定位预警, 违章
    And each count opens a detail list of that many entries
    And 黄丽燕 sees the risk level of each of her enterprise's vehicles, each opening its detail

  @D6 @api @ui
  Scenario: Signing records who and when; signing again changes nothing
    Given the weekly fan-out has run for the week of 2026-11-23
    And 黄丽燕 is an agent of 茂名市中油天源油品仓储有限公司 until 长期有效
    And 黄丽燕 has entered the enterprise account of 茂名市中油天源油品仓储有限公司
    When 黄丽燕 signs the warning of the week of 2026-11-23
    And 1h pass
    And 田军 signs the warning of the week of 2026-11-23 after entering the enterprise account
    Then the warning of 2026-11-23 shows it was signed by 黄丽燕 at "2026-11-23 09:00:00"

  @D6 @B9 @api @ui
  Scenario: A stranger cannot act on another enterprise's warnings
    Given the weekly fan-out has run for the week of 2026-11-23
    And 田军 has logged in with face recognition
    And 李明 has logged in with face recognition
    When 李明 tries to act for 茂名市中油天源油品仓储有限公司's account
    Then 李明 is refused with 403 "NOT_A_MEMBER" "您无权访问该企业账号"

  @D7 @api @ui
  Scenario Outline: Feedback is required within the week for red and orange only
    Given the risk source rates 中山市赢利化工运输有限公司 <level> for the week of 2026-11-23
    And the weekly fan-out has run for the week of 2026-11-23
    When 黄丽燕 enters the enterprise account of 中山市赢利化工运输有限公司
    And 黄丽燕 opens the period of 2026-11-23
    Then the warning is <label> and feedback is <obligation> by "2026-11-29 23:59:59"

    Examples:
      | level  | label          | obligation |
      | RED    | 红色(重大风险) | required   |
      | ORANGE | 橙色(较大风险) | required   |
      | YELLOW | 黄色(一般风险) | optional   |
      | BLUE   | 蓝色(低风险)   | optional   |

  @D7 @api
  Scenario: Feedback after signing, once
    Given the risk source rates 中山市赢利化工运输有限公司 RED for the week of 2026-11-23
    And the weekly fan-out has run for the week of 2026-11-23
    And 黄丽燕 has entered the enterprise account of 中山市赢利化工运输有限公司
    When 黄丽燕 tries to feed back on the week of 2026-11-23
    Then 黄丽燕 is refused with 409 "NOT_SIGNED" "请先签收预警信息"
    When 黄丽燕 signs the warning of the week of 2026-11-23
    Then the period of 2026-11-23 is "待整改"
    When 黄丽燕 feeds back on the week of 2026-11-23 with the measures SUSPEND_RED_VEHICLES, SAFETY_TRAINING
    Then the period of 2026-11-23 is "已反馈"
    When 黄丽燕 tries to feed back on the week of 2026-11-23
    Then 黄丽燕 is refused with 409 "FEEDBACK_SUBMITTED" "本期预警反馈已提交"
    And the feedback of 2026-11-23 still has the measures SUSPEND_RED_VEHICLES, SAFETY_TRAINING

  @D7 @api @ui
  Scenario: Feedback with a malformed contact mobile is refused and nothing is stored
    Given the weekly fan-out has run for the week of 2026-11-23
    And 黄丽燕 has entered the enterprise account of 中山市赢利化工运输有限公司
    And 黄丽燕 has signed the warning of the week of 2026-11-23
    When 黄丽燕 tries to feed back on the week of 2026-11-23 with the contact mobile "1380013800"
    Then 黄丽燕 is refused with 400 "INVALID_MOBILE" "请输入正确的手机号码"
    And nothing was stored

  @D8 @api @ui
  Scenario: One reminder per overdue warning, even when the job runs twice at the same time
    Given the risk source rates 中山市赢利化工运输有限公司 RED for the week of 2026-11-23
    And the risk source rates 茂名市中油天源油品仓储有限公司 YELLOW for the week of 2026-11-23
    And the weekly fan-out has run for the week of 2026-11-23
    When the date becomes 2026-11-30
    And the reminder job runs twice at the same time
    And the reminder job runs again
    Then 黄丽燕 has received exactly 1 SMS containing "逾期"
    And 田军 has received no SMS containing "逾期"

  @D8 @api @ui
  Scenario: No reminder once the feedback is in
    Given the risk source rates 中山市赢利化工运输有限公司 ORANGE for the week of 2026-11-23
    And the weekly fan-out has run for the week of 2026-11-23
    And 黄丽燕 has entered the enterprise account of 中山市赢利化工运输有限公司
    And 黄丽燕 has signed the warning of the week of 2026-11-23
    And 黄丽燕 has fed back on the week of 2026-11-23
    When the date becomes 2026-11-30
    And the reminder job runs twice at the same time
    Then 黄丽燕 has received no SMS containing "逾期"

  @D2 @D3 @ui @screenshot
  Scenario: 首页 pops up this week's warning; the filling enterprise's view
    Given the weekly fan-out has run for the week of 2026-11-23
    When 田军 enters the enterprise account of 茂名市中油天源油品仓储有限公司
    Then 田军 is shown the popup 危险货物充装企业风险预警 with [查看] and [稍后处理]
    And the screen 田军 sees is kept as "yueshangtong-risk-popup"
    And 田军 sees the enterprise 茂名市中油天源油品仓储有限公司 with its credit code
    And the screen 田军 sees is kept as "yueshangtong-risk-warnings"
