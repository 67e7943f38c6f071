import { ApiProperty } from '@nestjs/swagger';
import { Role } from '../../access/role.enum.js';
import type { User } from '../user.entity.js';

/** What the API says about a user. Fields are listed one by one so a new column never leaks. */
export class UserResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'ada@example.com' })
  email: string;

  @ApiProperty({ type: String, nullable: true, example: 'Ada Lovelace' })
  name: string | null;

  @ApiProperty({ enum: Role })
  role: Role;

  @ApiProperty({ description: 'false once an admin has disabled the account' })
  active: boolean;

  @ApiProperty({ description: 'true once the owner followed a link mailed to this address' })
  emailVerified: boolean;

  @ApiProperty()
  createdAt: Date;

  static from(user: User): UserResponse {
    return Object.assign(new UserResponse(), {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      active: user.disabledAt === null,
      emailVerified: user.emailVerifiedAt != null,
      createdAt: user.createdAt,
    });
  }
}

export class UserPage {
  @ApiProperty({ type: [UserResponse] })
  items: UserResponse[];

  @ApiProperty({ example: 42 })
  total: number;

  @ApiProperty({ example: 1 })
  page: number;

  @ApiProperty({ example: 20 })
  limit: number;
}
