Feature: 危险化学品经营许可证（首次、延期、重新申请） on 常州通办
  An enterprise on the licensing register applies on the web: 申报类型, 隶属关系, 人员资格 taken
  from its staff register (at least one 主要负责人 and one 安全生产管理人员), its 危险化学品事故应急
  预案备案, 申请品种范围, 申请经营方式 and 审核机关. It saves a draft, edits it and submits it; a
  submitted application is read-only. Only when the modes include 其他经营 does it choose how the
  authority inspects: 现场核查 (the old flow) or 云核查.

  Background:
    Given 李强 is the legal representative of 常州恒达化工贸易有限公司
    And 常州恒达化工贸易有限公司 is on the licensing register without a licence
    And 李强 has entered the enterprise account of 常州恒达化工贸易有限公司

  @F1 @F2 @api @ui
  Scenario: A draft is saved, edited and submitted; from then on it is read-only
    When 李强 saves the application of 常州恒达化工贸易有限公司 as a draft:
      | 申报类型     | 首次     |
      | 申请经营方式 | 仓储经营 |
    Then the application of 常州恒达化工贸易有限公司 is a 草稿 of type 首次
    When 李强 saves the application of 常州恒达化工贸易有限公司 as a draft:
      | 申报类型                   | 首次                               |
      | 隶属关系                   | 其他                               |
      | 人员资格                   | 主要负责人, 安全生产管理人员       |
      | 危险化学品事故应急预案备案 | 已登记的备案                       |
      | 申请品种范围               | 申请经营品种仅包含一般危险化学品的 |
      | 申请经营方式               | 仓储经营, 其他经营                 |
      | 核查方式                   | 云核查                             |
      | 审核机关                   | 天宁区应急管理局                   |
    And 李强 submits the application of 常州恒达化工贸易有限公司
    Then the application of 常州恒达化工贸易有限公司 is 已提交 and read-only, with 云核查
    When 李强 tries to save the application of 常州恒达化工贸易有限公司 as a draft:
      | 申报类型 | 重新申请 |
    Then 李强 is refused with 409 "INVALID_STATUS" "已提交的申报不能修改"
    And nothing was stored
    When 李强 tries to start another application for 常州恒达化工贸易有限公司
    Then 李强 is refused with 409 "APPLICATION_OPEN" "该企业已有办理中的危险化学品经营许可证申报"
    And nothing was stored

  @F1 @F2 @api
  Scenario Outline: Each field is checked with the message the page shows; a refused draft stores nothing
    When 李强 tries to save a complete draft for 常州恒达化工贸易有限公司 with <field> set to <value>
    Then 李强 is refused with 400 "<code>" "<message>"
    And nothing was stored

    Examples:
      | field            | value                          | code                             | message                                                                                |
      | applicationType  | "首次"                         | INVALID_APPLICATION_TYPE         | 请选择申报类型                                                                         |
      | affiliation      | "COLLECTIVE"                   | INVALID_AFFILIATION              | 请选择隶属关系                                                                         |
      | personnel        | ["a-stranger"]                 | STAFF_NOT_IN_REGISTER            | 如果主要负责人或安全生产管理人员未出现在上述列表中，请点击进入企业组织机构管理->员工信息管理添加员工 |
      | emergencyPlanNo  | "320402-1999-000"              | PLAN_FILING_NOT_FOUND            | 未查询到该危险化学品事故应急预案备案，请核对备案文号                                   |
      | goodsScope       | ["PETROL"]                     | INVALID_GOODS_SCOPE              | 请选择申请品种范围                                                                     |
      | goodsScope       | ["DIESEL_ONLY", "MIXING"]      | GOODS_SCOPE_CONFLICT             | 选择“申请品种仅包含柴油的”时不能同时选择其他品种范围                                   |
      | businessModes    | ["WHOLESALE"]                  | INVALID_BUSINESS_MODE            | 请选择申请经营方式                                                                     |
      | businessModes    | ["STORAGE"]                    | INSPECTION_METHOD_NOT_APPLICABLE | 只有申请经营方式包含“其他经营”时才需要选择核查方式                                     |
      | inspectionMethod | "VIDEO"                        | INVALID_INSPECTION_METHOD        | 请选择核查方式                                                                         |
      | authority        | "NANJING"                      | INVALID_AUTHORITY                | 请选择审核机关                                                                         |

  @F1 @F2 @api
  Scenario Outline: Submitting needs every field the page asks for
    Given 李强 has saved a complete draft for 常州恒达化工贸易有限公司, changing:
      | <field> | 不填 |
    When 李强 tries to submit the application of 常州恒达化工贸易有限公司
    Then 李强 is refused with 400 "FIELD_REQUIRED" "<message>"
    And the application of 常州恒达化工贸易有限公司 is still a 草稿

    Examples:
      | field                      | message                          |
      | 申报类型                   | 请选择申报类型                   |
      | 危险化学品事故应急预案备案 | 请选择危险化学品事故应急预案备案 |
      | 核查方式                   | 请选择核查方式                   |
      | 审核机关                   | 请选择审核机关                   |

  @F1 @api
  Scenario: Personnel need a 主要负责人 and a 安全生产管理人员 from the staff register
    Given 李强 has saved a complete draft for 常州恒达化工贸易有限公司, changing:
      | 人员资格 | 主要负责人 |
    When 李强 tries to submit the application of 常州恒达化工贸易有限公司
    Then 李强 is refused with 400 "PERSONNEL_INCOMPLETE" "人员资格须至少包含一名主要负责人和一名安全生产管理人员"
    And the application of 常州恒达化工贸易有限公司 is still a 草稿

  @F2 @api @ui
  Scenario Outline: Without 云核查 the authority inspects on site, as before, and the application moves on
    Given 李强 has submitted a complete application for 常州恒达化工贸易有限公司, changing:
      | 申请经营方式 | <modes>  |
      | 核查方式     | <method> |
    And 王核查 is an inspector of 天宁区应急管理局
    When 王核查 tries to propose 2026-11-25 10:00 for the inspection of 常州恒达化工贸易有限公司
    Then 王核查 is refused with 409 "NOT_CLOUD_INSPECTION" "该申报未选择云核查，无需预约核查时间"
    When 王核查 records the on-site inspection of 常州恒达化工贸易有限公司
    Then the application of 常州恒达化工贸易有限公司 is 核查通过 after a 现场核查

    Examples:
      | modes              | method   |
      | 仓储经营           | 不填     |
      | 其他经营, 仓储经营 | 现场核查 |

  @F1 @api
  Scenario: 延期 is accepted in the last 3 months before the licence expires (assumed)
    Given 张伟 is the legal representative of 常州鑫源化学品经营有限公司
    And 常州鑫源化学品经营有限公司 is on the licensing register with a licence issued on 2024-03-01
    And 张伟 has entered the enterprise account of 常州鑫源化学品经营有限公司
    And 张伟 has saved a complete draft for 常州鑫源化学品经营有限公司, changing:
      | 申报类型 | 延期 |
    When 张伟 tries to submit the application of 常州鑫源化学品经营有限公司
    Then 张伟 is refused with 409 "RENEWAL_NOT_DUE" "延期申请须在许可证有效期届满前3个月内提出（有效期至2027-02-28，2026-11-28起可申请）"
    When the date becomes 2026-11-28
    And 张伟 submits the application of 常州鑫源化学品经营有限公司
    Then the application of 常州鑫源化学品经营有限公司 is 已提交 and read-only, with 云核查

  @F1 @api
  Scenario: 首次 while a licence is valid, and 重新申请 without one, are refused
    Given 张伟 is the legal representative of 常州鑫源化学品经营有限公司
    And 常州鑫源化学品经营有限公司 is on the licensing register with a licence issued on 2025-06-01
    And 张伟 has entered the enterprise account of 常州鑫源化学品经营有限公司
    And 张伟 has saved a complete draft for 常州鑫源化学品经营有限公司, changing:
      | 申报类型 | 首次 |
    When 张伟 tries to submit the application of 常州鑫源化学品经营有限公司
    Then 张伟 is refused with 409 "LICENCE_HELD" "企业已持有有效期内的危险化学品经营许可证（有效期至2028-05-31），请选择延期"
    Given 李强 has saved a complete draft for 常州恒达化工贸易有限公司, changing:
      | 申报类型 | 重新申请 |
    When 李强 tries to submit the application of 常州恒达化工贸易有限公司
    Then 李强 is refused with 409 "NO_PREVIOUS_LICENCE" "未查询到原危险化学品经营许可证，请选择首次申请"

  @F1 @api
  Scenario: Only the enterprise's own people see its application
    Given 李强 has submitted a complete application for 常州恒达化工贸易有限公司
    And 黄丽燕 is the legal representative of 常州华盛石化贸易有限公司
    And 常州华盛石化贸易有限公司 is on the licensing register without a licence
    And 黄丽燕 has entered the enterprise account of 常州华盛石化贸易有限公司
    When 黄丽燕 tries to look at the application of 常州恒达化工贸易有限公司
    Then 黄丽燕 is refused with 404 "APPLICATION_NOT_FOUND" "未找到该申报"
    When 赵明 tries to look at the application of 常州恒达化工贸易有限公司
    Then 赵明 is refused with 401 "NOT_LOGGED_IN" "请先登录"

  @F1 @H4 @api
  Scenario: A seeded register: licensed enterprises, and each authority's officers
    When the licensing register is seeded from seed 7 with 5 enterprises
    Then 周核查 logs in as "tn-inspector" with the seeded password and finds no application addressed to 天宁区应急管理局
