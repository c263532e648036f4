Feature: The four kinds of 信用修复
  严重违法失信企业名单 (companies; left early only after a year on it), 企业经营异常名录 (companies),
  个体工商户经营异常状态 (individual businesses: a state, not a list) and 农专社经营异常名录
  (farmers' cooperatives, the same flow as companies). Each leaves its list once its cause is cured.

  @E1 @E2 @E7 @E9 @api @ui
  Scenario Outline: Each kind end to end: applied for on the mobile, accepted, reviewed, approved
    Given 李娜 is the legal representative of <enterprise>, a <subject> in the charge of <office>
    And <enterprise> was put on the <kind> on <listed> for "<reason>", a cause since cured
    And 王芳, 孙丽 and 周杰 are 经办人, 审核人员 and 审批人员 of <office>
    When 李娜 applies to remove <enterprise> from the <kind>
    And 王芳, 孙丽 and 周杰 accept, review and approve the case of <enterprise>
    Then the record of <enterprise> is <repaired> on 2026-11-23 under a removal decision of the bureau
    And 李娜 receives an SMS containing "<repaired message>"

    Examples:
      | kind                   | subject               | enterprise                     | office                         | listed     | reason                                     | repaired           | repaired message     |
      | 严重违法失信企业名单   | company               | 广州市天河区宏图化工有限公司   | 天河区市场监督管理局林和监管所 | 2024-05-06 | 被列入经营异常名录届满3年仍未履行相关义务 | 已移出             | 移出严重违法失信企业名单 |
      | 企业经营异常名录       | company               | 广州市海珠区永盛食品有限公司   | 海珠区市场监督管理局赤岗监管所 | 2025-09-01 | 公示企业信息隐瞒真实情况、弄虚作假         | 已移出             | 移出企业经营异常名录   |
      | 个体工商户经营异常状态 | individual business   | 白云区李记便利店               | 白云区市场监督管理局京溪监管所 | 2025-08-15 | 未按规定报送年度报告                       | 已恢复正常记载状态 | 恢复正常记载状态       |
      | 农专社经营异常名录     | farmers' cooperative  | 从化区绿源果蔬专业合作社       | 从化区市场监督管理局温泉监管所 | 2025-06-30 | 通过登记的住所或者经营场所无法联系         | 已移出             | 移出农专社经营异常名录 |

  @E1 @E2 @api @ui
  Scenario: The serious-violation list is left early only after a year on it
    Given 李娜 is the legal representative of 广州市天河区宏图化工有限公司, a company in the charge of 天河区市场监督管理局林和监管所
    And 广州市天河区宏图化工有限公司 was put on the 严重违法失信企业名单 on 2026-01-15 for "因严重违反食品安全法律、行政法规受到较重行政处罚", a cause since cured
    When 李娜 tries to apply to remove 广州市天河区宏图化工有限公司 from the 严重违法失信企业名单
    Then 李娜 is refused with 409 "NOT_YET_ELIGIBLE" "列入严重违法失信企业名单满1年后方可申请提前移出"
    And no application of 广州市天河区宏图化工有限公司 was stored

  @E1 @E2 @api @ui
  Scenario: An abnormal-list record leaves only once its cause is cured
    Given 李娜 is the legal representative of 从化区绿源果蔬专业合作社, a farmers' cooperative in the charge of 从化区市场监督管理局温泉监管所
    And 从化区绿源果蔬专业合作社 was put on the 农专社经营异常名录 on 2025-06-30 for "未按规定期限公示年度报告", a cause not yet cured
    When 李娜 tries to apply to remove 从化区绿源果蔬专业合作社 from the 农专社经营异常名录
    Then 李娜 is refused with 409 "CAUSE_NOT_CURED" "列入事由尚未消除，请先补报未报年份的年度报告并公示"

  @E1 @E2 @api @ui
  Scenario: Each entry takes its own market entities
    Given 李娜 is the legal representative of 白云区李记便利店, an individual business in the charge of 白云区市场监督管理局京溪监管所
    And 白云区李记便利店 was put on the 个体工商户经营异常状态 on 2025-08-15 for "未按规定报送年度报告", a cause since cured
    And 李娜 has logged in to 广州企业一网通
    When 李娜 tries to log in for her enterprise 白云区李记便利店 on the 企业经营异常名录
    Then 李娜 is refused with 400 "WRONG_SUBJECT_KIND" "该主体为个体工商户，请办理个体工商户经营异常状态信用修复"
