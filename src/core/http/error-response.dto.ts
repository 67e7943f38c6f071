import { ApiProperty } from '@nestjs/swagger';
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from './app-error.js';

/** The documented shape of every error body; the code enum is read from ERROR_STATUS, the one table. */
export class ErrorResponse implements ErrorBody {
  @ApiProperty({ type: 'integer', example: 401 })
  statusCode: number;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    description: 'For people; a list for validation failures. Clients match `code`, not this text.',
    example: 'Authentication required',
  })
  message: string | string[];

  @ApiProperty({ example: 'Unauthorized', description: 'The HTTP reason phrase' })
  error: string;

  @ApiProperty({ enum: Object.keys(ERROR_STATUS), enumName: 'ErrorCode', example: 'AUTH_REQUIRED', description: 'Stable: what went wrong' })
  code: ErrorCode;
}
