import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class RefreshDto {
  @ApiPropertyOptional({ description: 'The refresh token from login or the previous refresh (omit when it travels in the refresh_token cookie)' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  refreshToken?: string;
}
