// Local fakes of the platforms, for tests and benchmarks of code that consumes sources.
export { FakeHttpServer, serverError, malformedJson, isPath } from './fake-http-server';
export type { Fault, FakeResponse, RecordedRequest } from './fake-http-server';
export { createFakeClock } from './fake-clock';
export type { FakeClock } from './fake-clock';
export { FakeIntercomApi, intercomRateLimited } from '../intercom/intercom-api.fake';
export type { FakeIntercomArticle, FakeIntercomCollection, FakeIntercomData } from '../intercom/intercom-api.fake';
export { FakeZendeskApi, zendeskRateLimited } from '../zendesk/zendesk-api.fake';
