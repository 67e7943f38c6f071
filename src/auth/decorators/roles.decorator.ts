import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Role } from '../../users/role.enum.js';

export const ROLES_KEY = 'gatehouse:roles';

/** Only principals with one of these roles may call the route (checked by RolesGuard). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The admin policy in one place: the role check and its documentation. */
export const AdminOnly = () =>
  applyDecorators(
    Roles(Role.Admin),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No valid credential' }),
    ApiForbiddenResponse({ description: 'Authenticated, but not an admin' }),
  );
