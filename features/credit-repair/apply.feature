Feature: 信用修复 on 广州企业一网通
  The applicant's side of credit repair in the 广州企业一网通 mini program: 更多业务 → 信用修复 →
  the kind → 办事指南, tick 已阅读 → the subject (one of mine, or 其他 typed in) → 登录 (the legal
  representative's identity is checked) → the subject's listing records → 移出申请 → check the
  subject and records → upload materials → 提交 → 受理编号. 进度查询 shows every application of
  the enterprises linked to a mobile, and why a refused one was refused.

  Background:
    Given 李娜 is the legal representative of 广州市天河区恒达贸易有限公司, a company in the charge of 天河区市场监督管理局石牌监管所
    And 广州市天河区恒达贸易有限公司 was put on the 企业经营异常名录 on 2025-07-01 for "未按规定期限公示年度报告", a cause since cured
    And 王芳 is a 经办人 of 天河区市场监督管理局石牌监管所

  @E2 @api @ui
  Scenario: The legal representative applies for her enterprise and gets an acceptance number
    Given 李娜 has logged in to 广州企业一网通
    When 李娜 opens the 办事指南 of the 企业经营异常名录
    Then the guide asks for 信用修复申请书, 守信承诺书, 履行法定义务、纠正违法行为的相关材料 and promises a decision within 5 working days
    When 李娜 ticks 已阅读 and logs in for her enterprise 广州市天河区恒达贸易有限公司 on the 企业经营异常名录
    Then 李娜 sees the record of 广州市天河区恒达贸易有限公司 listed on 2025-07-01 for "未按规定期限公示年度报告"
    When 李娜 picks the record and chooses 移出申请
    Then the application shows 广州市天河区恒达贸易有限公司 with its credit code and the record
    When 李娜 uploads the required materials of 广州市天河区恒达贸易有限公司
    And 李娜 submits the 信用修复 application of 广州市天河区恒达贸易有限公司
    Then 李娜 is given an acceptance number, due in 5 working days on 2026-11-30
    And the application of 广州市天河区恒达贸易有限公司 is in the to-do list of 王芳 as 待受理

  @E2 @ui @screenshot
  Scenario: The application shows the subject, its record and the materials uploaded, ready to submit
    Given 李娜 has chosen 移出申请 for 广州市天河区恒达贸易有限公司 on the 企业经营异常名录
    When 李娜 uploads the required materials of 广州市天河区恒达贸易有限公司
    Then the application shows 广州市天河区恒达贸易有限公司 with its credit code and the record
    And the screen 李娜 sees is kept as "gzqy-credit-repair-application"

  @E2 @api @ui
  Scenario: Anyone may apply for a subject typed in as 其他, by its 注册号 with its legal representative's name and ID number
    Given 陈刚 has logged in to 广州企业一网通
    When 陈刚 logs in for 其他 subject 广州市天河区恒达贸易有限公司 on the 企业经营异常名录 by its 注册号 and its legal representative
    Then 陈刚 sees the record of 广州市天河区恒达贸易有限公司 listed on 2025-07-01 for "未按规定期限公示年度报告"
    When 陈刚 applies as 其他 to remove 广州市天河区恒达贸易有限公司 from the 企业经营异常名录
    Then 陈刚 is given an acceptance number, due in 5 working days on 2026-11-30

  @E2 @api @ui
  Scenario Outline: The identity check's failures show the documented message and log in for nothing
    Given 李娜 has logged in to 广州企业一网通
    And the identity provider will answer <outcome> for 李娜
    When 李娜 tries to log in for her enterprise 广州市天河区恒达贸易有限公司 on the 企业经营异常名录
    Then 李娜 is refused with 422 "<outcome>" "<message>"
    And nothing was stored
    And 李娜 is logged in for no subject

    Examples:
      | outcome    | message                                          |
      | MISMATCH   | 验证失败，请检查输入信息                         |
      | NOT_SYNCED | 实名核验未通过，最近换领或申请的身份证信息尚未同步 |

  @E2 @api @ui
  Scenario: A legal representative typed in who is not the registered one is refused before any identity check
    Given 陈刚 has logged in to 广州企业一网通
    When 陈刚 tries to log in for 其他 subject 广州市天河区恒达贸易有限公司 on the 企业经营异常名录 by its credit code and his own name and ID number
    Then 陈刚 is refused with 422 "SUBJECT_MISMATCH" "法定代表人姓名或身份证号码与登记信息不一致"
    And the identity provider was never asked

  @E2 @api @ui
  Scenario: A subject with no record of the kind is told so
    Given 李娜 has logged in to 广州企业一网通
    When 李娜 tries to log in for her enterprise 广州市天河区恒达贸易有限公司 on the 严重违法失信企业名单
    Then 李娜 is refused with 404 "NO_LISTING_RECORD" "未查询到该主体的严重违法失信企业名单信息"

  @E2 @api @ui
  Scenario: A record already in an application cannot be applied for twice
    Given 李娜 has applied to remove 广州市天河区恒达贸易有限公司 from the 企业经营异常名录
    When 李娜 tries to choose 移出申请 for 广州市天河区恒达贸易有限公司's record again
    Then 李娜 is refused with 409 "RECORD_IN_CASE" "该列入信息已在办理信用修复，请勿重复申请"
    And nothing was stored

  @E2 @api @ui
  Scenario Outline: Files that are not PDF, JPG or PNG, or too large, are refused and not stored
    Given 李娜 has chosen 移出申请 for 广州市天河区恒达贸易有限公司 on the 企业经营异常名录
    When 李娜 tries to upload <file> as the 信用修复申请书
    Then 李娜 is refused with 400 "<code>" "<message>"
    And nothing was stored

    Examples:
      | file                        | code                      | message                         |
      | a text file 申请书.txt      | MATERIAL_TYPE_NOT_ALLOWED | 仅支持上传PDF、JPG、PNG格式的文件 |
      | a program renamed 申请书.pdf | MATERIAL_TYPE_NOT_ALLOWED | 仅支持上传PDF、JPG、PNG格式的文件 |
      | a PDF of 600 KB 申请书.pdf   | MATERIAL_TOO_LARGE        | 单个文件不能超过512KB            |

  @E2 @api @ui
  Scenario: An application without every required material cannot be submitted
    Given 李娜 has chosen 移出申请 for 广州市天河区恒达贸易有限公司 on the 企业经营异常名录
    And 李娜 has uploaded a PDF 申请书.pdf as the 信用修复申请书
    When 李娜 tries to submit the 信用修复 application of 广州市天河区恒达贸易有限公司
    Then 李娜 is refused with 409 "MATERIALS_MISSING" "请上传以下材料：守信承诺书、履行法定义务、纠正违法行为的相关材料"
    And nothing was stored

  @E3 @api @ui
  Scenario: 进度查询 with the mobile logged in shows the applications of the enterprises linked to it
    Given 陈刚 has applied as 其他 to remove 广州市天河区恒达贸易有限公司 from the 企业经营异常名录
    And 李娜 has logged in to 广州企业一网通
    When 李娜 opens 进度查询 and confirms the mobile she logged in with
    Then 李娜 sees the application of 广州市天河区恒达贸易有限公司 for 企业经营异常名录信用修复 as 待受理
    When 陈刚 opens 进度查询 and confirms the mobile he logged in with
    Then 陈刚 sees the application of 广州市天河区恒达贸易有限公司 for 企业经营异常名录信用修复 as 待受理

  @E3 @E9 @api @ui
  Scenario: A refused application shows why in 进度查询
    Given 李娜 has applied to remove 广州市天河区恒达贸易有限公司 from the 企业经营异常名录
    And 王芳 has refused the case of 广州市天河区恒达贸易有限公司 for the reason "未补报2024年度报告"
    When 李娜 opens 进度查询 and confirms the mobile she logged in with
    Then 李娜 sees the application of 广州市天河区恒达贸易有限公司 for 企业经营异常名录信用修复 as 不予修复, refused at 受理 for the reason "未补报2024年度报告"
    And 李娜 receives an SMS containing "未通过，原因：未补报2024年度报告"

  @E3 @api @ui
  Scenario: Another mobile is queried only with the code sent to it
    Given 李娜 has applied to remove 广州市天河区恒达贸易有限公司 from the 企业经营异常名录
    And 陈刚 has logged in to 广州企业一网通
    When 陈刚 tries to open 进度查询 for 李娜's mobile without a code
    Then 陈刚 is refused with 400 "CODE_REQUIRED" "请输入发送至该手机号的验证码"
    When 陈刚 opens 进度查询 for 李娜's mobile with the code sent to it
    Then 陈刚 sees the application of 广州市天河区恒达贸易有限公司 for 企业经营异常名录信用修复 as 待受理
