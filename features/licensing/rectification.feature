Feature: 整改 after a cloud inspection found problems
  The enterprise signs first — in the app, even when it then rectifies on the web, which refuses
  until the app's signature exists. Then, per problem of the 问题汇总 (未整改 → 已整改), it uploads
  rectification photos and a note and submits; when every problem is submitted the cloud
  inspection ends (整改完成).

  Background:
    Given 李强 is the legal representative of 常州恒达化工贸易有限公司
    And 常州恒达化工贸易有限公司 is on the licensing register without a licence
    And 李强 has entered the enterprise account of 常州恒达化工贸易有限公司
    And 李强 has submitted a complete application for 常州恒达化工贸易有限公司
    And 王核查 is an inspector of 天宁区应急管理局
    And 王核查 has proposed 2026-11-25 10:00 for the inspection of 常州恒达化工贸易有限公司 and 李强 has confirmed it on the web
    And the date and time is 2026-11-25 10:00
    And 王核查 has inspected 常州恒达化工贸易有限公司 over video with 李强, finding:
      | 消防器材和应急救援器材配备 | 灭火器压力不足，未定期检查 |
      | 危险化学品购销台账         | 台账未记录购买单位信息     |

  @F7 @api @ui
  Scenario: In the app: sign, then rectify each problem; the last one ends the cloud inspection
    When 李强 signs before rectifying 常州恒达化工贸易有限公司's problems in the app
    And 李强 rectifies "消防器材和应急救援器材配备" of 常州恒达化工贸易有限公司 in the app
    Then the 问题汇总 of 常州恒达化工贸易有限公司 reads:
      | item                       | status | channel | photos |
      | 消防器材和应急救援器材配备 | 已整改 | APP端   | 1      |
      | 危险化学品购销台账         | 未整改 |         | 0      |
    And the application of 常州恒达化工贸易有限公司 is 企业修复中
    When 李强 rectifies "危险化学品购销台账" of 常州恒达化工贸易有限公司 in the app
    Then the cloud inspection of 常州恒达化工贸易有限公司 has ended: 整改完成, signed in the app
    Given 钱审核 is a reviewer of 天宁区应急管理局
    When 钱审核 approves the application of 常州恒达化工贸易有限公司
    Then 常州恒达化工贸易有限公司 holds a licence valid from 2026-11-25 to 2029-11-24

  @F7 @F4 @api
  Scenario: On the web, only after the legal representative has signed in the app
    Given 赵敏 is an agent of 常州恒达化工贸易有限公司 until 长期有效
    And 赵敏 has entered the enterprise account of 常州恒达化工贸易有限公司
    When 赵敏 tries to rectify "消防器材和应急救援器材配备" of 常州恒达化工贸易有限公司 on the web
    Then 赵敏 is refused with 409 "RECTIFICATION_NOT_SIGNED" "整改前请先在APP端签字确认"
    And nothing was stored
    When 赵敏 tries to sign before rectifying 常州恒达化工贸易有限公司's problems in the app
    Then 赵敏 is refused with 403 "LEGAL_REP_REQUIRED" "APP端云核查视频调度需使用企业法人账号登录"
    When 李强 signs before rectifying 常州恒达化工贸易有限公司's problems in the app
    And 赵敏 rectifies "消防器材和应急救援器材配备" of 常州恒达化工贸易有限公司 on the web
    And 赵敏 rectifies "危险化学品购销台账" of 常州恒达化工贸易有限公司 on the web
    Then the 问题汇总 of 常州恒达化工贸易有限公司 reads:
      | item                       | status | channel | photos |
      | 消防器材和应急救援器材配备 | 已整改 | 网页端  | 1      |
      | 危险化学品购销台账         | 已整改 | 网页端  | 1      |
    And the cloud inspection of 常州恒达化工贸易有限公司 has ended: 整改完成, signed in the app

  @F7 @api
  Scenario: A problem is submitted once, with 1 to 3 photos and a note; refusals store nothing
    Given 李强 has signed before rectifying 常州恒达化工贸易有限公司's problems in the app
    When 李强 tries to rectify "危险化学品购销台账" of 常州恒达化工贸易有限公司 on the web without photos
    Then 李强 is refused with 400 "INVALID_PHOTO_COUNT" "请上传1至3张整改图片"
    And nothing was stored
    When 李强 tries to rectify "危险化学品购销台账" of 常州恒达化工贸易有限公司 on the web with an empty note
    Then 李强 is refused with 400 "NOTE_REQUIRED" "请填写整改备注"
    And nothing was stored
    When 李强 rectifies "危险化学品购销台账" of 常州恒达化工贸易有限公司 on the web
    And 李强 tries to rectify "危险化学品购销台账" of 常州恒达化工贸易有限公司 in the app again
    Then 李强 is refused with 409 "PROBLEM_RECTIFIED" "该问题已提交整改"
    When 李强 tries to sign before rectifying 常州恒达化工贸易有限公司's problems in the app
    Then 李强 is refused with 409 "ALREADY_SIGNED" "已签字确认"
    And the application of 常州恒达化工贸易有限公司 is 企业修复中
