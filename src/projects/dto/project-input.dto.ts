import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

/** The body of POST /projects and PATCH /projects/:id: only the name is the owner's to set. */
export class ProjectInput {
  @ApiProperty({ example: 'Moon base', minLength: 1, maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;
}
