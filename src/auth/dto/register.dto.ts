import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDisplayName } from '../../core/text/display-name.js';
import { IsUserEmail, normaliseEmail } from '../../core/text/user-email.js';
import { IsAcceptablePassword } from '../password-policy.js';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class RegisterDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: 254 })
  @Transform(({ value }) => (typeof value === 'string' ? normaliseEmail(value) : value))
  @IsUserEmail({ message: 'email must be an email address without invisible characters' })
  @MaxLength(254)
  email: string;

  @ApiProperty({
    example: 'correct horse battery staple',
    minLength: 8,
    maxLength: 128,
    description: '8–128 characters, any characters, no composition rules; common passwords and the email or name are refused',
  })
  @IsAcceptablePassword({ contextFields: { email: 'email', name: 'name' } })
  password: string;

  @ApiPropertyOptional({ example: 'Ada Lovelace', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @IsDisplayName()
  name?: string;
}
