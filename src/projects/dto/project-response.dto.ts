import { ApiProperty } from '@nestjs/swagger';
import type { Project } from '../project.entity.js';

/** What the API says about a project; fields are listed so a new column never leaks. */
export class ProjectResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  ownerId: string;

  @ApiProperty({ example: 'Moon base' })
  name: string;

  @ApiProperty()
  createdAt: Date;

  static from(project: Project): ProjectResponse {
    return Object.assign(new ProjectResponse(), {
      id: project.id,
      ownerId: project.ownerId,
      name: project.name,
      createdAt: project.createdAt,
    });
  }
}

export class ProjectPage {
  @ApiProperty({ type: [ProjectResponse] })
  items: ProjectResponse[];

  @ApiProperty({ example: 42 })
  total: number;

  @ApiProperty({ example: 1 })
  page: number;

  @ApiProperty({ example: 20 })
  limit: number;
}

export class ProjectCount {
  @ApiProperty({ example: 42 })
  total: number;
}
