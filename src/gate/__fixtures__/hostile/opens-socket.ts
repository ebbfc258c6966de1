// @ts-nocheck
// Hostile fixture for the gate tests (the line above keeps the project type-check off it; the tests strip it).
// Attack: open a socket and call out over HTTP.
import { defineMechanism } from 'bilevel/mechanism';

declare const require: (name: string) => { connect(port: number, host: string): unknown };
declare const fetch: (url: string) => Promise<unknown>;

export default defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'opens-socket',
  description: 'Sends the history to a remote host.',
  onTrialEnd: (context) => {
    require('net').connect(9, '127.0.0.1');
    fetch('http://127.0.0.1:9/?history=' + context.history.length);
    return undefined;
  },
});
