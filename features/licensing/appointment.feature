Feature: 云核查 appointment: the authority proposes a time, the enterprise confirms or changes it
  The authority's inspector proposes a time (待企业确认). The enterprise confirms it on 常州通办 or,
  as its legal representative, in the app (应用 → 云核查); or it 更改时间, and the authority must
  confirm again (待政府确认) — as many rounds as it takes. Times in the past or outside working
  hours are refused (assumed). The legal representative is reminded by SMS the day before.

  Background:
    Given 李强 is the legal representative of 常州恒达化工贸易有限公司
    And 常州恒达化工贸易有限公司 is on the licensing register without a licence
    And 李强 has entered the enterprise account of 常州恒达化工贸易有限公司
    And 李强 has submitted a complete application for 常州恒达化工贸易有限公司
    And 王核查 is an inspector of 天宁区应急管理局

  @F3 @api @ui
  Scenario: The enterprise confirms the proposed time on the web
    When 王核查 proposes 2026-11-25 10:00 for the inspection of 常州恒达化工贸易有限公司
    Then the application of 常州恒达化工贸易有限公司 is 待企业确认 for 2026-11-25 10:00
    When 李强 confirms the inspection time of 常州恒达化工贸易有限公司 on the web
    Then the application of 常州恒达化工贸易有限公司 is 待核查 for 2026-11-25 10:00
    And the proposals of 常州恒达化工贸易有限公司 read:
      | time             | by       | outcome | decided on |
      | 2026-11-25 10:00 | 审核机关 | 已确认  | 网页端     |

  @F3 @F4 @api @ui
  Scenario: The legal representative confirms it in the app (应用 → 云核查)
    When 王核查 proposes 2026-11-25 10:00 for the inspection of 常州恒达化工贸易有限公司
    Then 李强 sees 常州恒达化工贸易有限公司 待企业确认 in the app's 云核查 list
    When 李强 confirms the inspection time of 常州恒达化工贸易有限公司 in the app
    Then the application of 常州恒达化工贸易有限公司 is 待核查 for 2026-11-25 10:00
    And the proposals of 常州恒达化工贸易有限公司 read:
      | time             | by       | outcome | decided on |
      | 2026-11-25 10:00 | 审核机关 | 已确认  | APP端      |

  @F3 @F4 @ui @screenshot
  Scenario: 预约详情 in the app: the proposed time, to confirm or to change
    When 王核查 proposes 2026-11-25 10:00 for the inspection of 常州恒达化工贸易有限公司
    Then 李强 sees 常州恒达化工贸易有限公司 待企业确认 in the app's 云核查 list
    And the screen 李强 sees is kept as "czapp-appointment"

  @F3 @api @ui
  Scenario: The loop repeats, through both channels, until both sides agree
    When 王核查 proposes 2026-11-25 10:00 for the inspection of 常州恒达化工贸易有限公司
    And 李强 changes the inspection time of 常州恒达化工贸易有限公司 to 2026-11-26 14:00 on the web
    Then the application of 常州恒达化工贸易有限公司 is 待政府确认 for 2026-11-26 14:00
    When 王核查 proposes 2026-11-27 09:30 for the inspection of 常州恒达化工贸易有限公司
    And 李强 changes the inspection time of 常州恒达化工贸易有限公司 to 2026-11-30 15:00 in the app
    And 王核查 confirms the time 常州恒达化工贸易有限公司 asked for
    Then the application of 常州恒达化工贸易有限公司 is 待核查 for 2026-11-30 15:00
    And the proposals of 常州恒达化工贸易有限公司 read:
      | time             | by       | channel | outcome | decided on |
      | 2026-11-25 10:00 | 审核机关 |         | 已更改  | 网页端     |
      | 2026-11-26 14:00 | 企业     | 网页端  | 已更改  |            |
      | 2026-11-27 09:30 | 审核机关 |         | 已更改  | APP端      |
      | 2026-11-30 15:00 | 企业     | APP端   | 已确认  |            |

  @F3 @api
  Scenario Outline: Times in the past or outside working hours are refused (assumed) and store nothing
    When 王核查 tries to propose <time> for the inspection of 常州恒达化工贸易有限公司
    Then 王核查 is refused with 400 "<code>" "<message>"
    And nothing was stored

    Examples:
      | time             | code                  | message                                                     |
      | 2026-11-23 08:30 | APPOINTMENT_IN_PAST   | 核查时间须晚于当前时间                                      |
      | 2026-11-28 10:00 | OUTSIDE_WORKING_HOURS | 核查时间须在工作时间内（周一至周五 9:00-11:30、13:30-17:00） |
      | 2026-11-25 12:00 | OUTSIDE_WORKING_HOURS | 核查时间须在工作时间内（周一至周五 9:00-11:30、13:30-17:00） |
      | 2026-11-25 17:30 | OUTSIDE_WORKING_HOURS | 核查时间须在工作时间内（周一至周五 9:00-11:30、13:30-17:00） |

  @F3 @api
  Scenario: The enterprise's own time is held to the same rules
    Given 王核查 has proposed 2026-11-25 10:00 for the inspection of 常州恒达化工贸易有限公司
    When 李强 tries to change the inspection time of 常州恒达化工贸易有限公司 to 2026-11-29 10:00 on the web
    Then 李强 is refused with 400 "OUTSIDE_WORKING_HOURS" "核查时间须在工作时间内（周一至周五 9:00-11:30、13:30-17:00）"
    And nothing was stored
    And the application of 常州恒达化工贸易有限公司 is 待企业确认 for 2026-11-25 10:00

  @F3 @api
  Scenario: Confirming and changing the same proposal at once: one wins, the other is told to reload
    Given 赵敏 is an agent of 常州恒达化工贸易有限公司 until 长期有效
    And 赵敏 has entered the enterprise account of 常州恒达化工贸易有限公司
    And 王核查 has proposed 2026-11-25 10:00 for the inspection of 常州恒达化工贸易有限公司
    When 李强 confirms the time of 常州恒达化工贸易有限公司 in the app while 赵敏 changes it to 2026-11-26 10:00 on the web, both from the page they opened
    Then one of 李强 and 赵敏 is refused with 409 "VERSION_CONFLICT" "申报已被更新，请刷新后重试", and the application of 常州恒达化工贸易有限公司 shows the other's decision

  @F4 @api
  Scenario: The app's video scheduling needs the legal representative's account; an agent uses the web
    Given 赵敏 is an agent of 常州恒达化工贸易有限公司 until 长期有效
    And 赵敏 has entered the enterprise account of 常州恒达化工贸易有限公司
    And 王核查 has proposed 2026-11-25 10:00 for the inspection of 常州恒达化工贸易有限公司
    When 赵敏 tries to confirm the inspection time of 常州恒达化工贸易有限公司 in the app
    Then 赵敏 is refused with 403 "LEGAL_REP_REQUIRED" "APP端云核查视频调度需使用企业法人账号登录"
    When 赵敏 confirms the inspection time of 常州恒达化工贸易有限公司 on the web
    Then the application of 常州恒达化工贸易有限公司 is 待核查 for 2026-11-25 10:00

  @F3 @api
  Scenario: Officers act for their own authority, in their own role
    Given 钱审核 is a reviewer of 天宁区应急管理局
    And 孙核查 is an inspector of 武进区应急管理局
    When 钱审核 tries to propose 2026-11-25 10:00 for the inspection of 常州恒达化工贸易有限公司
    Then 钱审核 is refused with 403 "ROLE_REQUIRED" "该操作需要核查人员权限"
    When 孙核查 tries to propose 2026-11-25 10:00 for the inspection of 常州恒达化工贸易有限公司
    Then 孙核查 is refused with 404 "APPLICATION_NOT_FOUND" "未找到该申报"
    And 王核查 sees the application of 常州恒达化工贸易有限公司 among those 已提交

  @F3 @H5 @api
  Scenario: The legal representative is reminded by SMS the day before, once (assumed)
    Given 王核查 has proposed 2026-11-25 10:00 for the inspection of 常州恒达化工贸易有限公司
    And 李强 has confirmed the inspection time of 常州恒达化工贸易有限公司 on the web
    When the date and time is 2026-11-24 09:00
    Then 李强 receives an SMS containing "云核查定于2026-11-25 10:00进行"
    When the appointment reminders run again
    Then 李强 has received 1 SMS message
