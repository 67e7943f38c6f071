import { ApiProperty } from '@nestjs/swagger';
import { Role } from '../../users/role.enum.js';
import { UserResponse } from '../../users/dto/user-response.dto.js';

export class TokenResponse {
  @ApiProperty({ description: 'JWT for `Authorization: Bearer …`' })
  accessToken: string;

  @ApiProperty({ description: 'Opaque; send it to POST /auth/refresh. Each use replaces it.' })
  refreshToken: string;

  @ApiProperty({ example: 'Bearer' })
  tokenType: 'Bearer';

  @ApiProperty({ description: 'Seconds until the access token expires', example: 900 })
  expiresIn: number;

  @ApiProperty({ type: UserResponse })
  user: UserResponse;
}

export class PrincipalResponse {
  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty({ enum: Role })
  role: Role;

  @ApiProperty({ format: 'uuid' })
  sessionId: string;

  @ApiProperty({ enum: ['bearer', 'cookie-jwt', 'session'] })
  via: string;
}

export class RegisterResponse {
  @ApiProperty({ type: UserResponse })
  user: UserResponse;
}
