import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { IsUserEmail, normaliseEmail } from '../../core/text/user-email.js';
import { IsAcceptablePassword } from '../password-policy.js';

const normalised = ({ value }: { value: unknown }) => (typeof value === 'string' ? normaliseEmail(value) : value);

/** Any string up to a sane length: a wrong token is EMAIL_TOKEN_INVALID, not a validation error. */
export class EmailTokenDto {
  @ApiProperty({ description: 'The `token` query parameter of the link in the mail', example: 'q1Vb0l5Xc3mQ2yP7nE9rT4uW6zA8sD1fG3hJ5kL7mN0' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  token: string;
}

export class EmailAddressDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: 254 })
  @Transform(normalised)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;
}

export class ResetPasswordDto extends EmailTokenDto {
  @ApiProperty({ minLength: 8, maxLength: 128, description: 'Same policy as at registration' })
  @IsAcceptablePassword()
  newPassword: string;
}

export class ChangeEmailDto {
  @ApiProperty({ example: 'ada@new.example.com', maxLength: 254 })
  @Transform(normalised)
  @IsUserEmail({ message: 'newEmail must be an email address without invisible characters' })
  @MaxLength(254)
  newEmail: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  currentPassword: string;
}

export class AcceptedResponse {
  @ApiProperty({ example: 'If this address can be registered, a mail is on its way: follow its link to finish' })
  message: string;
}
