import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export const TOKEN_TRANSPORTS = ['bearer', 'cookie'] as const;
export type TokenTransport = (typeof TOKEN_TRANSPORTS)[number];

export class LoginDto {
  @ApiProperty({ example: 'ada@example.com' })
  @IsString()
  @MinLength(1)
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password: string;

  // No `default:` in the schema: generators (openapi-typescript) would then make the field required.
  @ApiPropertyOptional({ enum: TOKEN_TRANSPORTS, description: 'Omitted: `bearer` (tokens in the body). `cookie` sets httpOnly cookies instead of returning the tokens' })
  @IsOptional()
  @IsIn(TOKEN_TRANSPORTS)
  transport?: TokenTransport;
}
