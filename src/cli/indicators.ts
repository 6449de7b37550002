import { createInterface } from 'node:readline';
import { InvalidArgumentError, type Command } from 'commander';
import {
  DEFAULT_PHONE_REGION,
  extractIndicators,
  isPhoneRegion,
  type CountryCode,
} from '../indicators/index.js';

const FLUSH_BYTES = 64 * 1024;

/**
 * Streams JSON Lines from stdin to stdout: every input line must be one JSON string; its output
 * line is `JSON.stringify(transform(string))`, in the same order. A line that is not a JSON string
 * (including an empty line) gives `null` on its output line and `scamnet: line N: …` on stderr;
 * the run goes on and the exit status stays 0. Output is written in 64 KiB chunks, honouring
 * back-pressure.
 */
export async function mapJsonLines(transform: (input: string) => unknown): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let buffer = '';
  let lineNumber = 0;
  const flush = async (): Promise<void> => {
    if (buffer === '') return;
    const chunk = buffer;
    buffer = '';
    if (!process.stdout.write(chunk)) {
      await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
    }
  };
  for await (const line of lines) {
    lineNumber++;
    let output: unknown = null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed === 'string') {
      output = transform(parsed);
    } else {
      process.stderr.write(`scamnet: line ${lineNumber}: expected a JSON string\n`);
    }
    buffer += `${JSON.stringify(output ?? null)}\n`;
    if (buffer.length >= FLUSH_BYTES) await flush();
  }
  await flush();
}

/** `--region`'s value: an ISO 3166-1 alpha-2 code libphonenumber-js has a numbering plan for. */
function parseRegion(value: string): CountryCode {
  const region = value.toUpperCase();
  if (!isPhoneRegion(region)) {
    throw new InvalidArgumentError(
      'not a region with a phone numbering plan (ISO 3166-1 alpha-2).',
    );
  }
  return region;
}

/**
 * `scamnet indicators extract [--region CC]`: JSON Lines on stdin, one JSON string (a message) per
 * line → one JSON array of `{ "type", "value", "raw" }` per line on stdout (extractIndicators).
 * Phone numbers written without a country code are read in `--region` (ISO 3166-1 alpha-2, any
 * case; default TW); an unknown region is refused by commander (`error: option '--region <CC>'
 * argument …`, exit status 1) before any input is read.
 */
export function registerIndicatorsCommand(program: Command): void {
  const indicators = program
    .command('indicators')
    .description('indicator extraction (JSON Lines on stdin → JSON Lines on stdout)');
  indicators
    .command('extract')
    .description('each line a JSON string (a message) → JSON array of {type, value, raw}')
    .option(
      '--region <CC>',
      'region of phone numbers written without a country code (ISO 3166-1 alpha-2)',
      parseRegion,
      DEFAULT_PHONE_REGION,
    )
    .action(async (options: { region: CountryCode }) => {
      const region = options.region;
      await mapJsonLines((message) =>
        extractIndicators(message, { defaultRegion: region }).map(({ type, value, raw }) => ({
          type,
          value,
          raw,
        })),
      );
    });
}
