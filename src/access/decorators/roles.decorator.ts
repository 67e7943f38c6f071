import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ApiAnyCredential } from './api-credentials.decorator.js';
import { Role } from '../role.enum.js';

export const ROLES_KEY = 'gatehouse:roles';

/** Only principals with one of these roles may call the route (checked by RolesGuard). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The admin policy in one place: the role check and its documentation. */
export const AdminOnly = () =>
  applyDecorators(
    Roles(Role.Admin),
    ApiAnyCredential(),
    ApiUnauthorizedResponse({ description: 'No valid credential' }),
    ApiForbiddenResponse({ description: 'Authenticated, but not an admin' }),
  );
