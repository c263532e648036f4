// Cucumber configuration. TypeScript runs through tsx (NODE_OPTIONS=--import tsx, set by
// bin/with-database.ts); settings come from the one config module; reports go to reports/.
//
// Profiles pick the interface tasks and questions are performed through (features/support/screenplay.ts):
//   default          every scenario, through the API (world parameter interface: 'api')
//   --profile ui     the @ui scenarios, through the pages (interface: 'ui'; needs page forms and a browser)
import { loadConfig } from './kernel/config.ts';

const common = {
  paths: ['features/**/*.feature'],
  import: ['features/support/**/*.ts', 'step-definitions/**/*.ts'],
  format: ['progress', 'html:reports/cucumber.html', 'junit:reports/cucumber.junit.xml', 'message:reports/cucumber.ndjson'],
  parallel: loadConfig().testWorkers,
  strict: true,
};

export default { ...common, worldParameters: { interface: 'api' } };

export const ui = { ...common, tags: '@ui', worldParameters: { interface: 'ui' } };
