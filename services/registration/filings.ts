// Registration filings (C10): the kinds of market entity and the roles of the natural persons in
// them whose identity must be verified before filing. Which role applies to which kind follows
// the guide's list (shareholder/promoter/investor/partner, legal rep/person in charge/partnership
// representative, director, supervisor, manager, individual operator, cooperative member,
// entrusted agent) and company law; the mapping itself is assumed.

export const ENTITY_KINDS = {
  COMPANY: '公司',
  NON_COMPANY_LEGAL_PERSON: '非公司企业法人',
  SOLE_PROPRIETORSHIP: '个人独资企业',
  PARTNERSHIP: '合伙企业',
  BRANCH: '营业单位及分支机构',
  INDIVIDUAL_BUSINESS: '个体工商户',
  FARMERS_COOPERATIVE: '农民专业合作社',
} as const;
export type EntityKind = keyof typeof ENTITY_KINDS;

export const ROLES = {
  SHAREHOLDER: '股东',
  PROMOTER: '发起人',
  INVESTOR: '投资人',
  PARTNER: '合伙人',
  LEGAL_REP: '法定代表人',
  PERSON_IN_CHARGE: '负责人',
  PARTNER_REPRESENTATIVE: '执行事务合伙人委派代表',
  DIRECTOR: '董事',
  SUPERVISOR: '监事',
  MANAGER: '经理',
  INDIVIDUAL_OPERATOR: '个体经营者',
  COOPERATIVE_MEMBER: '农民专业合作社社员',
  ENTRUSTED_AGENT: '委托代理人',
} as const;
export type Role = keyof typeof ROLES;

const APPLICABLE: Record<EntityKind, Role[]> = {
  COMPANY: ['SHAREHOLDER', 'PROMOTER', 'LEGAL_REP', 'DIRECTOR', 'SUPERVISOR', 'MANAGER', 'ENTRUSTED_AGENT'],
  NON_COMPANY_LEGAL_PERSON: ['INVESTOR', 'LEGAL_REP', 'DIRECTOR', 'SUPERVISOR', 'MANAGER', 'ENTRUSTED_AGENT'],
  SOLE_PROPRIETORSHIP: ['INVESTOR', 'PERSON_IN_CHARGE', 'MANAGER', 'ENTRUSTED_AGENT'],
  PARTNERSHIP: ['PARTNER', 'PARTNER_REPRESENTATIVE', 'ENTRUSTED_AGENT'],
  BRANCH: ['PERSON_IN_CHARGE', 'MANAGER', 'ENTRUSTED_AGENT'],
  INDIVIDUAL_BUSINESS: ['INDIVIDUAL_OPERATOR', 'ENTRUSTED_AGENT'],
  FARMERS_COOPERATIVE: ['LEGAL_REP', 'COOPERATIVE_MEMBER', 'DIRECTOR', 'SUPERVISOR', 'MANAGER', 'ENTRUSTED_AGENT'],
};

export const applicableRoles = (kind: EntityKind): Role[] => APPLICABLE[kind];
