Feature: 云核查 in progress (核查进行中) and its outcome
  At the confirmed time the inspector starts the inspection: a video room is created and the
  inspector joins it. In the app the legal representative reads the 承诺书 and signs it, uploads
  the handler's photo and joins the video. The inspector records each checklist item 符合 or
  不符合 with a note while both are on the call; either side hangs up. Every item 符合: 核查通过
  and the application moves on to its licence; otherwise 企业修复中 with the 问题汇总.

  Background:
    Given 李强 is the legal representative of 常州恒达化工贸易有限公司
    And 常州恒达化工贸易有限公司 is on the licensing register without a licence
    And 李强 has entered the enterprise account of 常州恒达化工贸易有限公司
    And 李强 has submitted a complete application for 常州恒达化工贸易有限公司
    And 王核查 is an inspector of 天宁区应急管理局
    And 王核查 has proposed 2026-11-25 10:00 for the inspection of 常州恒达化工贸易有限公司 and 李强 has confirmed it on the web
    And the date and time is 2026-11-25 10:00

  @F5 @F6 @api @ui
  Scenario: Everything 符合: the inspection passes and the licence is issued for 3 years
    When 王核查 starts the cloud inspection of 常州恒达化工贸易有限公司
    Then the application of 常州恒达化工贸易有限公司 is 核查进行中
    And 李强 is shown the 承诺书 "危险化学品经营许可云核查承诺书" of 常州恒达化工贸易有限公司 in the app
    When 李强 signs the 承诺书 and uploads the handler's photo for 常州恒达化工贸易有限公司
    And 李强 joins the video of 常州恒达化工贸易有限公司
    Then 王核查 sees both sides on the call of 常州恒达化工贸易有限公司
    When 王核查 records every checklist item of 常州恒达化工贸易有限公司 as 符合
    And 李强 hangs up the video of 常州恒达化工贸易有限公司
    And 王核查 hangs up the inspection of 常州恒达化工贸易有限公司
    Then the application of 常州恒达化工贸易有限公司 is 核查通过, with every item 符合 and the signature and photo stored
    And the video provider created one room for 常州恒达化工贸易有限公司's inspection and ended it; 李强 joined it 1 time
    Given 钱审核 is a reviewer of 天宁区应急管理局
    When 钱审核 approves the application of 常州恒达化工贸易有限公司
    Then 常州恒达化工贸易有限公司 holds a licence valid from 2026-11-25 to 2029-11-24

  @F6 @api @ui
  Scenario: Items 不符合: 企业修复中 with the 问题汇总
    Given 王核查 has started the cloud inspection of 常州恒达化工贸易有限公司
    And 李强 has signed the 承诺书 and uploaded the handler's photo for 常州恒达化工贸易有限公司
    And 李强 has joined the video of 常州恒达化工贸易有限公司
    When 王核查 records every checklist item of 常州恒达化工贸易有限公司 as 符合 except:
      | 消防器材和应急救援器材配备 | 灭火器压力不足，未定期检查 |
      | 危险化学品购销台账         | 台账未记录购买单位信息     |
    And 王核查 hangs up the inspection of 常州恒达化工贸易有限公司
    Then the application of 常州恒达化工贸易有限公司 is 企业修复中 with the 问题汇总:
      | 消防器材和应急救援器材配备 | 灭火器压力不足，未定期检查 | 未整改 |
      | 危险化学品购销台账         | 台账未记录购买单位信息     | 未整改 |

  @F5 @H2 @api
  Scenario: The video provider is the fifth provider of the outcome table
    Then the harness lists the video provider with the outcomes "PASS 已接通, CONNECT_FAILED 视频连接失败，请检查网络后重试, DROPPED 视频通话已中断" and the operations "create, join, leave, end, state", of which join decides

  @F5 @api @ui
  Scenario: Not before the appointed time (assumed: from 15 minutes before)
    Given the date and time is 2026-11-25 09:40
    When 王核查 tries to start the cloud inspection of 常州恒达化工贸易有限公司
    Then 王核查 is refused with 409 "INSPECTION_TOO_EARLY" "未到预约的核查时间（2026-11-25 10:00）"
    And nothing was stored

  @F5 @api
  Scenario: The video comes after the signature and the photo, each given once
    Given 王核查 has started the cloud inspection of 常州恒达化工贸易有限公司
    When 李强 tries to join the video of 常州恒达化工贸易有限公司
    Then 李强 is refused with 409 "COMMITMENT_NOT_SIGNED" "请先阅读承诺书并签字确认"
    When 李强 signs the 承诺书 of 常州恒达化工贸易有限公司
    And 李强 tries to join the video of 常州恒达化工贸易有限公司
    Then 李强 is refused with 409 "HANDLER_PHOTO_MISSING" "请上传经办人照片"
    When 李强 tries to sign the 承诺书 of 常州恒达化工贸易有限公司 again
    Then 李强 is refused with 409 "ALREADY_SIGNED" "承诺书已签字确认"
    And nothing was stored

  @F5 @api
  Scenario Outline: A signature that is not a PNG or JPEG of at most 200 KB is refused and stores nothing
    Given 王核查 has started the cloud inspection of 常州恒达化工贸易有限公司
    When 李强 tries to sign the 承诺书 of 常州恒达化工贸易有限公司 with "<image>"
    Then 李强 is refused with 400 "<code>" "<message>"
    And nothing was stored

    Examples:
      | image                  | code               | message                    |
      | a GIF                  | INVALID_IMAGE_TYPE | 请上传PNG或JPG格式的图片   |
      | a PNG of 250 KB        | IMAGE_TOO_LARGE    | 图片不能超过200KB          |
      | a PNG labelled as JPEG | INVALID_IMAGE      | 图片内容不正确，请重新上传 |

  @F5 @api @ui
  Scenario: A join that fails to connect leaves the enterprise off the call; trying again connects
    Given 王核查 has started the cloud inspection of 常州恒达化工贸易有限公司
    And 李强 has signed the 承诺书 and uploaded the handler's photo for 常州恒达化工贸易有限公司
    And the video provider will answer CONNECT_FAILED for 李强
    When 李强 tries to join the video of 常州恒达化工贸易有限公司
    Then 李强 is refused with 422 "VIDEO_CONNECT_FAILED" "视频连接失败，请检查网络后重试"
    And 李强 sees the enterprise's line of 常州恒达化工贸易有限公司 as 未接入
    When 王核查 tries to record "营业执照等证照悬挂公示" of 常州恒达化工贸易有限公司 as 符合
    Then 王核查 is refused with 409 "ENTERPRISE_NOT_ON_CALL" "企业视频未接通，请等待企业重新接入，或结束核查（未完成）"
    When 李强 joins the video of 常州恒达化工贸易有限公司 again
    Then 王核查 sees both sides on the call of 常州恒达化工贸易有限公司

  @F5 @api @ui
  Scenario: A call dropped midway: nothing is recorded until the enterprise joins again
    Given 王核查 has started the cloud inspection of 常州恒达化工贸易有限公司
    And 李强 has signed the 承诺书 and uploaded the handler's photo for 常州恒达化工贸易有限公司
    And the video provider will answer DROPPED for 李强
    When 李强 joins the video of 常州恒达化工贸易有限公司
    Then 李强 sees the enterprise's line of 常州恒达化工贸易有限公司 as 视频通话已中断
    When 王核查 tries to record "营业执照等证照悬挂公示" of 常州恒达化工贸易有限公司 as 符合
    Then 王核查 is refused with 409 "ENTERPRISE_NOT_ON_CALL" "企业视频未接通，请等待企业重新接入，或结束核查（未完成）"
    When 李强 joins the video of 常州恒达化工贸易有限公司 again
    And 王核查 records every checklist item of 常州恒达化工贸易有限公司 as 符合
    And 王核查 hangs up the inspection of 常州恒达化工贸易有限公司
    Then the application of 常州恒达化工贸易有限公司 is 核查通过, with every item 符合 and the signature and photo stored
    And the video provider created one room for 常州恒达化工贸易有限公司's inspection and ended it; 李强 joined it 1 time

  @F5 @F3 @api @ui
  Scenario: A call that will not hold: the inspector ends it as not finished and a new time is agreed
    Given 王核查 has started the cloud inspection of 常州恒达化工贸易有限公司
    And 李强 has signed the 承诺书 and uploaded the handler's photo for 常州恒达化工贸易有限公司
    And the video provider will answer DROPPED for 李强 2 times
    When 李强 joins the video of 常州恒达化工贸易有限公司
    And 李强 joins the video of 常州恒达化工贸易有限公司 again
    And 王核查 ends the inspection of 常州恒达化工贸易有限公司 as not finished because "企业网络不稳定，视频多次中断"
    Then the application of 常州恒达化工贸易有限公司 is 已提交 again, its inspection 核查未完成 because "企业网络不稳定，视频多次中断"
    When 王核查 proposes 2026-11-26 10:00 for the inspection of 常州恒达化工贸易有限公司
    And 李强 confirms the inspection time of 常州恒达化工贸易有限公司 in the app
    Then the application of 常州恒达化工贸易有限公司 is 待核查 for 2026-11-26 10:00

  @F5 @api @ui
  Scenario: 不符合 needs a note, and the inspector cannot hang up with items unrecorded
    Given 王核查 has started the cloud inspection of 常州恒达化工贸易有限公司
    And 李强 has signed the 承诺书 and uploaded the handler's photo for 常州恒达化工贸易有限公司
    And 李强 has joined the video of 常州恒达化工贸易有限公司
    When 王核查 tries to record "危险化学品购销台账" of 常州恒达化工贸易有限公司 as 不符合 without a note
    Then 王核查 is refused with 400 "NOTE_REQUIRED" "不符合项请填写问题说明"
    When 王核查 tries to hang up the inspection of 常州恒达化工贸易有限公司
    Then 王核查 is refused with 409 "CHECKLIST_INCOMPLETE" "尚有8项核查内容未记录"
    And the application of 常州恒达化工贸易有限公司 is 核查进行中

  @F5 @api @ui
  Scenario: The inspection is the enterprise's own
    Given 王核查 has started the cloud inspection of 常州恒达化工贸易有限公司
    And 黄丽燕 is the legal representative of 常州华盛石化贸易有限公司
    And 常州华盛石化贸易有限公司 is on the licensing register without a licence
    And 黄丽燕 has entered the enterprise account of 常州华盛石化贸易有限公司
    When 黄丽燕 tries to look at the 承诺书 of 常州恒达化工贸易有限公司
    Then 黄丽燕 is refused with 404 "APPLICATION_NOT_FOUND" "未找到该申报"
