import type { App, RouteContext } from '../http/index.js';
import { registerCaptureRoutes } from './capture.routes.js';
import { registerLogRoutes } from '../log/index.js';

/** Every route of the evidence capability: the public Merkle log and analysts' captures. */
export function registerEvidenceRoutes(app: App, context: RouteContext): void {
  registerLogRoutes(app, context);
  registerCaptureRoutes(app, context);
}
