// The scenario's last call — request and answer — kept so that a failed step's report shows what
// led to the failure: attached to the failed step (as EXCHANGE_MEDIA_TYPE), where the HTML report
// shows it and the conformance report reads it from the message stream. A worker runs one
// scenario at a time, so "the last call" is the scenario's.
import { AfterStep, Before, Status } from '@cucumber/cucumber';
import { EXCHANGE_MEDIA_TYPE, type Exchange } from '../../conformance/exchange.js';

/** Strings longer than this (an uploaded file's base64) are cut in the attachment. */
const LONGEST_STRING = 2_000;

let last: Exchange | undefined;

export function recordExchange(exchange: Exchange): void {
  last = exchange;
}

Before(function () {
  last = undefined;
});

AfterStep(function ({ result }) {
  if (result.status === Status.FAILED && last) {
    this.attach(JSON.stringify(last, (_key, value: unknown) => (typeof value === 'string' && value.length > LONGEST_STRING ? `${value.slice(0, LONGEST_STRING)}… (${value.length} characters)` : value), 2), EXCHANGE_MEDIA_TYPE);
  }
});
