import { describe, expect, it } from 'vitest';
import { parseAiOnTheEdge } from './device-reading.js';

describe('parseAiOnTheEdge', () => {
  it("reads the firmware's /json: the main number, its raw value, no error", () => {
    const body = JSON.stringify({
      main: { value: '521.17108', raw: '521.17108', pre: '521.17108', error: 'no error', rate: '0.023780', timestamp: '2023-01-13T16:00:42+0100' },
    });
    expect(parseAiOnTheEdge(body)).toEqual({ firmware: 'ai-on-the-edge', number: 'main', value: '521.17108', raw: '521.17108', error: null, timestamp: '2023-01-13T16:00:42+0100' });
  });

  it("keeps the firmware's own error and an empty value as none, and takes the first number when there is no main", () => {
    const body = JSON.stringify({ gas: { value: '', raw: '0123.4N', error: 'Neg. Rate - Read:  - Raw: 0123.4N - Pre: 0123.45 ' } });
    expect(parseAiOnTheEdge(body)).toMatchObject({ number: 'gas', value: null, raw: '0123.4N', error: 'Neg. Rate - Read:  - Raw: 0123.4N - Pre: 0123.45' });
  });

  it('says why when the answer is not a reading', () => {
    expect(parseAiOnTheEdge('<html>')).toEqual({ firmware: 'ai-on-the-edge', error: 'the camera did not answer JSON' });
    expect(parseAiOnTheEdge('{}')).toEqual({ firmware: 'ai-on-the-edge', error: 'the camera answered JSON without a reading' });
    expect(parseAiOnTheEdge('{"main": {"raw": 5}}')).toEqual({ firmware: 'ai-on-the-edge', error: 'the camera answered JSON without a reading' });
  });
});
