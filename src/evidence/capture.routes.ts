import type { App, RouteContext } from '../http/types.js';

/** Analysts' capture routes (filled in below). */
export function registerCaptureRoutes(_app: App, _context: RouteContext): void {}
