import type { AuthChecker } from 'type-graphql';
import type { Context } from '../context';
import { ForbiddenReason, forbidden, unauthenticated } from './errors';
import type { CustomerViewer } from './viewer';

/** Roles for type-graphql's `@Authorized(...)`: who may call an operation at all. */
export enum Role {
  CUSTOMER = 'CUSTOMER',
  AGENT = 'AGENT',
  INTEGRATION = 'INTEGRATION',
}

/**
 * The single authChecker of both schemas. Anonymous callers get UNAUTHENTICATED; known callers of the
 * wrong kind get FORBIDDEN with a reason. Ownership, brand and FedRAMP rules are the functions beside
 * this file, applied by the services.
 */
export const authChecker: AuthChecker<Context, Role> = ({ context }, roles) => {
  const { viewer } = context;
  if (viewer.kind === 'anonymous') throw unauthenticated();
  if (roles.length === 0) return true;
  if (viewer.kind === 'customer' && roles.includes(Role.CUSTOMER)) return true;
  if (viewer.kind === 'agent' && roles.includes(Role.AGENT)) return true;
  if (viewer.kind === 'integration' && roles.includes(Role.INTEGRATION)) return true;
  if (roles.includes(Role.CUSTOMER) && roles.length === 1) {
    throw forbidden(ForbiddenReason.NOT_A_CUSTOMER, 'This operation is for customer accounts.');
  }
  if (roles.includes(Role.AGENT) && !roles.includes(Role.INTEGRATION)) {
    throw forbidden(ForbiddenReason.NOT_AN_AGENT, 'This operation is for support agents.');
  }
  if (roles.includes(Role.INTEGRATION) && !roles.includes(Role.AGENT)) {
    throw forbidden(ForbiddenReason.NOT_AN_INTEGRATION, 'This operation is for provisioning integrations.');
  }
  throw forbidden(ForbiddenReason.NOT_STAFF, 'This operation is for support staff and integrations.');
};

/** The customer behind a request; FORBIDDEN (NOT_A_CUSTOMER) for anyone else (fields under `viewer`). */
export function customerOf(ctx: Pick<Context, 'viewer'>): CustomerViewer {
  if (ctx.viewer.kind !== 'customer') throw forbidden(ForbiddenReason.NOT_A_CUSTOMER, 'This operation is for customer accounts.');
  return ctx.viewer;
}
