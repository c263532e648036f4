// Cucumber configuration. TypeScript runs through tsx (NODE_OPTIONS=--import tsx, set by
// bin/with-database.ts); settings come from the one config module; reports go to reports/.
import { loadConfig } from './services/platform/config.ts';

export default {
  paths: ['features/**/*.feature'],
  import: ['features/support/**/*.ts', 'step-definitions/**/*.ts'],
  format: ['progress', 'html:reports/cucumber.html', 'junit:reports/cucumber.junit.xml', 'message:reports/cucumber.ndjson'],
  parallel: loadConfig().testWorkers,
  strict: true,
};
