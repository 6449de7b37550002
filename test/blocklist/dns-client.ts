import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, Packet } from 'dns-packet';

/** Sends one DNS message over UDP to 127.0.0.1:`port` and returns the first reply. */
export async function udpQuery(port: number, message: Buffer): Promise<Buffer> {
  const socket = createSocket('udp4');
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      socket.once('message', (reply) => resolve(reply));
      socket.once('error', reject);
      socket.send(message, port, '127.0.0.1');
    });
  } finally {
    socket.close();
  }
}

/** A query packet for `name`/`type` (with an SOA in the authority section for IXFR). */
export function query(
  name: string,
  type: 'SOA' | 'NS' | 'A' | 'AXFR' | 'IXFR',
  fromSerial?: number,
): Buffer {
  const packet: Packet = {
    type: 'query',
    id: 4242,
    questions: [{ name, type, class: 'IN' }],
    authorities:
      fromSerial === undefined
        ? []
        : [
            {
              name,
              type: 'SOA',
              class: 'IN',
              ttl: 0,
              data: { mname: '.', rname: '.', serial: fromSerial },
            },
          ],
  };
  return dnsPacket.encode(packet);
}

/** The SOA serial of `answer`, or undefined for other record types. */
export function serialOf(answer: Answer | undefined): number | undefined {
  return answer?.type === 'SOA' ? answer.data.serial : undefined;
}

/**
 * Sends `message` over TCP and reads framed replies until a complete zone transfer arrived
 * (AXFR: SOA … SOA; IXFR: one SOA when up to date, SOA SOA … SOA … SOA when incremental, or the
 * AXFR form) or a reply with an error RCODE. Returns the raw messages and all their answers.
 */
export async function tcpTransfer(
  port: number,
  message: Buffer,
): Promise<{ messages: Buffer[]; packets: DecodedPacket[]; answers: Answer[] }> {
  const socket = connect({ host: '127.0.0.1', port });
  const messages: Buffer[] = [];
  const packets: DecodedPacket[] = [];
  const answers: Answer[] = [];
  const frame = Buffer.alloc(2);
  frame.writeUInt16BE(message.length);
  socket.write(Buffer.concat([frame, message]));
  let pending = Buffer.alloc(0);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.on('error', reject);
      socket.on('close', () => resolve());
      socket.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
          const body = Buffer.from(pending.subarray(2, 2 + pending.readUInt16BE(0)));
          pending = pending.subarray(2 + body.length);
          messages.push(body);
          const packet = dnsPacket.decode(body);
          packets.push(packet);
          answers.push(...(packet.answers ?? []));
          if (transferComplete(packet, answers)) {
            resolve();
            return;
          }
        }
      });
    });
  } finally {
    socket.destroy();
  }
  return { messages, packets, answers };
}

function transferComplete(last: DecodedPacket, answers: readonly Answer[]): boolean {
  if ((last.flags ?? 0) & 0xf) return true;
  const first = serialOf(answers[0]);
  if (first === undefined) return true;
  const soas = answers.filter((a) => serialOf(a) === first).length;
  if (answers.length === 1) return true;
  const incremental = answers[1]?.type === 'SOA';
  return incremental ? soas >= 3 : soas >= 2;
}

const RCODES: Record<number, string> = {
  0: 'NOERROR',
  1: 'FORMERR',
  2: 'SERVFAIL',
  3: 'NXDOMAIN',
  4: 'NOTIMP',
  5: 'REFUSED',
  9: 'NOTAUTH',
};

/** The RCODE name of a decoded packet (its flags' low 4 bits). */
export function rcodeOf(packet: DecodedPacket | undefined): string {
  const code = (packet?.flags ?? -1) & 0xf;
  return RCODES[code] ?? String(code);
}
