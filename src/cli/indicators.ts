import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { extractIndicators } from '../indicators/index.js';

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

/**
 * `scamnet indicators extract`: JSON Lines on stdin, one JSON string (a message) per line → one
 * JSON array of `{ "type", "value", "raw" }` per line on stdout (extractIndicators, region TW or
 * `--region`).
 */
export function registerIndicatorsCommand(program: Command): void {
  const indicators = program
    .command('indicators')
    .description('indicator extraction (JSON Lines on stdin → JSON Lines on stdout)');
  indicators
    .command('extract')
    .description('each line a JSON string (a message) → JSON array of {type, value, raw}')
    .action(async () => {
      await mapJsonLines((message) =>
        extractIndicators(message).map(({ type, value, raw }) => ({ type, value, raw })),
      );
    });
}
