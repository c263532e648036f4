// 企业风险预警 tasks (D1–D8): the harness side (world, levels, jobs) and the user side (the
// 粤商通 screens for the enterprise the actor acts for).
import type { GovsimWorld, Question, Task } from '../world.js';
import { actFor } from './enterprise.js';
import { logInWithFace } from './login.js';

export const seedRiskWorld = (world: GovsimWorld, seed: number, enterprises: number) => world.control.post('/harness/v1/risk/world', { seed, enterprises });
export const putInScope = (world: GovsimWorld, enterpriseName: string, kind: 'FILLING' | 'TRANSPORT') =>
  world.control.post('/harness/v1/risk/enterprises', { uscc: world.enterprise(enterpriseName).uscc, kind });
export const rateLevel = (world: GovsimWorld, subject: string, week: string, level: string) => world.control.put('/harness/v1/risk/levels', { subject, week, level });
export const runFanout = (world: GovsimWorld, week: string) => world.control.post('/harness/v1/jobs/weekly-fanout', { week });
export const fanoutProgress = (world: GovsimWorld, week: string) => world.control.get(`/harness/v1/jobs/weekly-fanout/${week}`);
export const runReminders = (world: GovsimWorld) => world.control.post('/harness/v1/jobs/reminders');

/** Face login, [请选择办事企业], [选择办事]: what the home page does next is the popup. */
export const enterEnterpriseAccount =
  (enterpriseName: string): Task =>
  async (actor) => {
    await actor.attemptsTo(logInWithFace(), actFor(enterpriseName));
  };

export const popup: Question<{ show: boolean; title?: string; actions?: string[] }> = (actor) => actor.world.services.get('/yst/v1/risk/popup', actor.token);
export const chooseLater: Task = async (actor) => void (await actor.world.services.post('/yst/v1/risk/popup/later', {}, actor.token));
export const searchFor =
  (q: string): Question<{ title: string; path: string }[]> =>
  (actor) =>
    actor.world.services.get(`/yst/v1/search?q=${encodeURIComponent(q)}`, actor.token);

export interface LevelView {
  code: string;
  label: string;
}
export interface Overview {
  enterprise: { name: string; uscc: string };
  current?: { week: string; date: string; advice: string; level: LevelView } | null;
  topVehicles?: { inProvince: { plate: string; level: LevelView }[]; outOfProvince: { plate: string; level: LevelView }[] } | null;
  periods: { week: string; date: string; level: LevelView; status: LevelView; signed: boolean }[];
}
export const warningsView: Question<Overview> = (actor) => actor.world.services.get('/yst/v1/risk/warnings', actor.token);

export interface Period {
  warning: { week: string; level: LevelView; status: LevelView; signed: { at: string; by: string } | null; feedback: { required: boolean; dueBy: string } };
  enterpriseRisk?: { category: string; label: string; count: number }[];
  vehicles?: { plate: string; level: LevelView }[];
}
export const periodView =
  (week: string): Question<Period> =>
  (actor) =>
    actor.world.services.get(`/yst/v1/risk/warnings/${week}`, actor.token);
export const enterpriseRiskDetail =
  (week: string, category: string): Question<{ entries: unknown[] }> =>
  (actor) =>
    actor.world.services.get(`/yst/v1/risk/warnings/${week}/enterprise-risk/${category}`, actor.token);
export const vehicleDetail =
  (plate: string, week: string): Question<Record<string, any>> =>
  (actor) =>
    actor.world.services.get(`/yst/v1/risk/vehicles/${encodeURIComponent(plate)}?week=${week}`, actor.token);

export const signWarning =
  (week: string): Task =>
  async (actor) =>
    void (await actor.world.services.post(`/yst/v1/risk/warnings/${week}/sign`, {}, actor.token));

export const feedBack =
  (week: string, details: Partial<{ measures: string[]; contactMobile: string }> = {}): Task =>
  async (actor) =>
    void (await actor.world.services.post(
      `/yst/v1/risk/warnings/${week}/feedback`,
      { measures: ['SAFETY_TRAINING'], description: '已组织驾驶员安全培训并排查车辆隐患', contactName: actor.name, contactMobile: actor.person.mobile, ...details },
      actor.token,
    ));

export const feedbackOf =
  (week: string): Question<{ measures: string[]; description: string }> =>
  (actor) =>
    actor.world.services.get(`/yst/v1/risk/warnings/${week}/feedback`, actor.token);
