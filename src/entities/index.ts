export {
  createEntity,
  getEntity,
  listEntities,
  listRoutingRules,
  presentEntity,
  replaceRoutingRules,
  updateEntity,
  type Entity,
  type EntityInput,
  type EntityPatch,
  type RuleInput,
} from './entities.service.js';
export { registerEntityRoutes } from './entities.routes.js';
