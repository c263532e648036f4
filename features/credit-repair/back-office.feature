Feature: 信用修复 in the 信用监管综合系统
  The back office of the 广州市市场监督管理局: users log in with mobile and SMS code and work in one
  supervision office (监管所) of a district bureau (区局) as 经办人, 审核人员 or 审批人员. An
  application reaches the handlers of the office that listed the record (我的待办); a handler may
  also open a case from a listing record ([办理]). The handler accepts (or transfers it within the
  district bureau), a reviewer reviews, an approver approves: 办结, and the record is removed. Any
  step may refuse with a reason. Nobody acts in two steps of the same case.

  Background:
    Given 李娜 is the legal representative of 广州市天河区恒达贸易有限公司, a company in the charge of 天河区市场监督管理局石牌监管所
    And 广州市天河区恒达贸易有限公司 was put on the 企业经营异常名录 on 2025-07-01 for "未按规定期限公示年度报告", a cause since cured
    And 王芳 is a 经办人 of 天河区市场监督管理局石牌监管所
    And 孙丽 is a 审核人员 of 天河区市场监督管理局石牌监管所
    And 周杰 is a 审批人员 of 天河区市场监督管理局石牌监管所

  @E4 @api @ui
  Scenario: A back-office user logs in with mobile and SMS code and sees the office and roles
    When 王芳 asks the 信用监管综合系统 for a login code
    Then 王芳 receives an SMS with a 6-digit code
    When 王芳 logs in to the 信用监管综合系统 with the code from the SMS
    Then 王芳 is 经办人 of 天河区市场监督管理局石牌监管所 in 天河区市场监督管理局

  @E4 @api @ui
  Scenario: The login code follows the rules of 粤商通's: no account, a wrong code, too frequent
    When 李娜 tries to ask the 信用监管综合系统 for a login code
    Then 李娜 is refused with 404 "STAFF_NOT_FOUND" "该手机号未开通信用监管综合系统账号"
    And 李娜 has received 0 SMS messages
    Given 王芳 has asked the 信用监管综合系统 for a login code
    When 王芳 tries to log in to the 信用监管综合系统 with a wrong code
    Then 王芳 is refused with 400 "CODE_INVALID" "验证码错误，还可尝试4次"
    When 王芳 tries to ask the 信用监管综合系统 for a login code
    Then 王芳 is refused with 429 "SMS_TOO_FREQUENT" "验证码发送过于频繁，请60秒后再试"

  @E5 @api @ui
  Scenario: An application reaches the handlers of the listing office only; the to-do list is searched
    Given 吴刚 is a 经办人 of 越秀区市场监督管理局北京监管所
    And 李娜 has applied to remove 广州市天河区恒达贸易有限公司 from the 企业经营异常名录
    Then the application of 广州市天河区恒达贸易有限公司 is in the to-do list of 王芳 as 待受理
    And the to-do list of 吴刚 is empty
    And the to-do list of 孙丽 is empty
    And 王芳 finds it searching by its acceptance number, by the name "恒达", by kind and status, and by its credit code
    And 王芳 finds nothing searching by the name "宏图" or by the status 待审核

  @E5 @E6 @api @ui
  Scenario: The to-do list is paged
    Given 3 companies in the charge of 天河区市场监督管理局石牌监管所 were put on the 企业经营异常名录 for "通过登记的住所或者经营场所无法联系", causes since cured
    And 王芳 has chosen 办理 on the record of each of them
    When 王芳 looks at page 1 of her to-do list, 2 to a page
    Then she sees 2 cases of 3
    When 王芳 looks at page 2 of her to-do list, 2 to a page
    Then she sees 1 case of 3

  @E5 @api @ui
  Scenario: An application not decided within its working days is flagged overdue (weekends and holidays as data)
    Given 2026-11-27 is a holiday in the run's calendar
    And 李娜 has applied to remove 广州市天河区恒达贸易有限公司 from the 企业经营异常名录
    Then the application of 广州市天河区恒达贸易有限公司 is due on 2026-12-01 in the to-do list of 王芳, not overdue
    When the date becomes 2026-12-01
    Then the application of 广州市天河区恒达贸易有限公司 is not overdue in the to-do list of 王芳
    When the date becomes 2026-12-02
    Then the application of 广州市天河区恒达贸易有限公司 is eventually flagged overdue since 2026-12-02 in the to-do list of 王芳

  @E6 @api @ui
  Scenario: A handler finds the listing records of the office's jurisdiction and opens a case
    Given 刘洋 is the legal representative of 广州市天河区华盛科技有限公司, a company in the charge of 天河区市场监督管理局石牌监管所
    And 广州市天河区华盛科技有限公司 was put on the 企业经营异常名录 on 2026-03-10 for "通过登记的住所或者经营场所无法联系", a cause since cured
    And 黄伟 is the legal representative of 广州市越秀区华盛电子有限公司, a company in the charge of 越秀区市场监督管理局北京监管所
    And 广州市越秀区华盛电子有限公司 was put on the 企业经营异常名录 on 2026-03-12 for "通过登记的住所或者经营场所无法联系", a cause since cured
    When 王芳 searches the 企业经营异常名录 records of her office by the reason UNREACHABLE
    Then she finds 广州市天河区华盛科技有限公司 only
    And 王芳 finds 广州市天河区华盛科技有限公司 only, searching by the name "华盛", by its credit code, by its 注册号, and listed from 2026-03-01 to 2026-03-31
    And 王芳 finds nothing listed from 2025-01-01 to 2025-12-31 by the reason UNREACHABLE
    When 王芳 chooses 办理 on the record of 广州市天河区华盛科技有限公司
    Then the case of 广州市天河区华盛科技有限公司 is in the to-do list of 王芳 as 待受理, opened by the office

  @E6 @E7 @E9 @api @ui
  Scenario: A case the office opened is accepted, reviewed and approved: the record is removed
    Given 刘洋 is the legal representative of 广州市天河区华盛科技有限公司, a company in the charge of 天河区市场监督管理局石牌监管所
    And 广州市天河区华盛科技有限公司 was put on the 企业经营异常名录 on 2026-03-10 for "通过登记的住所或者经营场所无法联系", a cause since cured
    When 王芳 chooses 办理 on the record of 广州市天河区华盛科技有限公司
    And 王芳 accepts the case of 广州市天河区华盛科技有限公司 with the opinion "经核查，登记住所已可取得联系"
    Then the case of 广州市天河区华盛科技有限公司 is in the to-do list of 孙丽 as 待审核
    When 孙丽 reviews the case of 广州市天河区华盛科技有限公司 with the opinion "同意"
    Then the case of 广州市天河区华盛科技有限公司 is in the to-do list of 周杰 as 待审批
    When the date becomes 2026-11-25
    And 周杰 approves the case of 广州市天河区华盛科技有限公司 with the opinion "准予移出"
    Then the record of 广州市天河区华盛科技有限公司 is 已移出 on 2026-11-25 under a removal decision of the bureau
    And the log of the case of 广州市天河区华盛科技有限公司 reads 办理, 受理, 审核通过, 审批通过 by 王芳, 王芳, 孙丽, 周杰

  @E7 @E2 @api @ui
  Scenario: The handler accepts: 信用修复申请信息 → [确定] → 信用修复审批表 → [提交]
    Given 李娜 has applied to remove 广州市天河区恒达贸易有限公司 from the 企业经营异常名录
    When 王芳 opens the case of 广州市天河区恒达贸易有限公司 from her to-do list
    Then the tab 信用修复申请信息 shows 广州市天河区恒达贸易有限公司, its record and 3 materials, each the file 李娜 uploaded, byte for byte
    When 王芳 accepts the case of 广州市天河区恒达贸易有限公司 with the opinion "材料齐全，同意受理"
    Then the to-do list of 王芳 is empty
    And the case of 广州市天河区恒达贸易有限公司 is in the to-do list of 孙丽 as 待审核
    And 李娜 receives an SMS containing "已受理，将于2026-11-30前办结"

  @E8 @api @ui
  Scenario: A transfer goes to another supervision office of the same district bureau; the first office no longer sees it
    Given 赵敏 is a 经办人 of 天河区市场监督管理局五山监管所
    And 李娜 has applied to remove 广州市天河区恒达贸易有限公司 from the 企业经营异常名录
    When 王芳 transfers the case of 广州市天河区恒达贸易有限公司 to 天河区市场监督管理局五山监管所 for the reason "经营场所位于五山辖区"
    Then the case of 广州市天河区恒达贸易有限公司 is in the to-do list of 赵敏 as 待受理
    And the to-do list of 王芳 is empty
    And 王芳 can no longer open the case of 广州市天河区恒达贸易有限公司
    And the 信用修复审批表 that 赵敏 sees shows the transfer from 天河区市场监督管理局石牌监管所 to 天河区市场监督管理局五山监管所 by 王芳 for "经营场所位于五山辖区"

  @E8 @ui @screenshot
  Scenario: 信用修复审批表 shows the steps taken and the transfers, with the forms of the steps the user may take
    Given 赵敏 is a 经办人 of 天河区市场监督管理局五山监管所
    And 李娜 has applied to remove 广州市天河区恒达贸易有限公司 from the 企业经营异常名录
    When 王芳 transfers the case of 广州市天河区恒达贸易有限公司 to 天河区市场监督管理局五山监管所 for the reason "经营场所位于五山辖区"
    Then the 信用修复审批表 that 赵敏 sees shows the transfer from 天河区市场监督管理局石牌监管所 to 天河区市场监督管理局五山监管所 by 王芳 for "经营场所位于五山辖区"
    And the screen 赵敏 sees is kept as "gzxyjg-approval-form"

  @E8 @api
  Scenario Outline: No transfer outside the district bureau, to the same office, or without a reason
    Given 李娜 has applied to remove 广州市天河区恒达贸易有限公司 from the 企业经营异常名录
    And 王芳 has logged in to the 信用监管综合系统
    When 王芳 tries to transfer the case of 广州市天河区恒达贸易有限公司 to <office> for the reason "<reason>"
    Then 王芳 is refused with 400 "<code>" "<message>"
    And nothing was stored

    # The pages offer only the other supervision offices of the bureau: an office outside it, or
    # the handler's own, can be sent only through the API.
    Examples:
      | office                             | reason     | code                 | message                          |
      | 越秀区市场监督管理局北京监管所     | 属越秀辖区 | TRANSFER_NOT_ALLOWED | 转办机关只能选择同区局的其他监管所 |
      | 天河区市场监督管理局石牌监管所     | 重新分配   | TRANSFER_NOT_ALLOWED | 转办机关只能选择同区局的其他监管所 |

    @ui
    Examples:
      | office                             | reason     | code                 | message                          |
      | 天河区市场监督管理局五山监管所     |            | REASON_REQUIRED      | 请填写转办原因                   |

  @E9 @api @ui
  Scenario: Review and approval end the case (办结): the record is removed with the date
    Given 李娜 has applied to remove 广州市天河区恒达贸易有限公司 from the 企业经营异常名录
    And 王芳 has accepted the case of 广州市天河区恒达贸易有限公司
    When 孙丽 reviews the case of 广州市天河区恒达贸易有限公司 with the opinion "同意"
    Then the case of 广州市天河区恒达贸易有限公司 is in the to-do list of 周杰 as 待审批
    When the date becomes 2026-11-25
    And 周杰 approves the case of 广州市天河区恒达贸易有限公司 with the opinion "准予移出"
    Then the record of 广州市天河区恒达贸易有限公司 is 已移出 on 2026-11-25 under a removal decision of the bureau
    And 李娜 sees on 广州企业一网通 that the record of 广州市天河区恒达贸易有限公司 is 已移出 on 2026-11-25
    And 李娜 receives an SMS containing "已办结"
    And the log of the case of 广州市天河区恒达贸易有限公司 reads 移出申请, 提交申请, 受理, 审核通过, 审批通过 by 李娜, 李娜, 王芳, 孙丽, 周杰

  @E9 @api @ui
  Scenario Outline: Any step may refuse with a reason, which ends the case
    Given 李娜 has applied to remove 广州市天河区恒达贸易有限公司 from the 企业经营异常名录
    And the case of 广州市天河区恒达贸易有限公司 has got to <step>
    When <actor> refuses the case of 广州市天河区恒达贸易有限公司 for the reason "<reason>"
    Then the log of the case of 广州市天河区恒达贸易有限公司 ends with 不予通过 at <step> by <actor> for "<reason>"
    And 李娜 receives an SMS containing "未通过，原因：<reason>"
    And the record of 广州市天河区恒达贸易有限公司 can be applied for again

    Examples:
      | step | actor | reason             |
      | 受理 | 王芳  | 申请材料与实际不符 |
      | 审核 | 孙丽  | 年度报告内容不实   |
      | 审批 | 周杰  | 尚有未缴清的罚款   |

  @E9 @api @ui
  Scenario: One person may not act in two steps of the same case, even holding both roles
    Given 钱进 is a 经办人 and 审核人员 of 天河区市场监督管理局石牌监管所
    And 李娜 has applied to remove 广州市天河区恒达贸易有限公司 from the 企业经营异常名录
    And 钱进 has accepted the case of 广州市天河区恒达贸易有限公司
    Then the to-do list of 钱进 is empty
    When 钱进 tries to review the case of 广州市天河区恒达贸易有限公司 with the opinion "同意"
    Then 钱进 is refused with 403 "ROLE_SEPARATION" "同一人员不得办理同一业务的多个环节"
    And nothing was stored
    When 孙丽 reviews the case of 广州市天河区恒达贸易有限公司 with the opinion "同意"
    Then the case of 广州市天河区恒达贸易有限公司 is in the to-do list of 周杰 as 待审批

  @E9 @api @ui
  Scenario: Two reviewers act on the same case at once: one wins, the other is told it was handled
    Given 郑爽 is a 审核人员 of 天河区市场监督管理局石牌监管所
    And 李娜 has applied to remove 广州市天河区恒达贸易有限公司 from the 企业经营异常名录
    And 王芳 has accepted the case of 广州市天河区恒达贸易有限公司
    When 孙丽 and 郑爽 both open the case of 广州市天河区恒达贸易有限公司 and review it at the same time
    Then one of them succeeds and the other is refused with 409 "VERSION_CONFLICT" "该业务已被他人处理，请刷新后重试"
    And the log of the case of 广州市天河区恒达贸易有限公司 has one 审核通过
