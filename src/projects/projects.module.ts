import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/index.js';
import { AdminProjectsController } from './admin-projects.controller.js';
import { Project } from './project.entity.js';
import { ProjectsController } from './projects.controller.js';
import { ProjectsService } from './projects.service.js';

/**
 * The example feature module: a user's own records. It imports Gatehouse only through
 * src/auth/index.ts; AuthModule is what makes @UseGuards(JwtAuthGuard, RolesGuard) resolvable.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Project]), AuthModule],
  controllers: [ProjectsController, AdminProjectsController],
  providers: [ProjectsService],
})
export class ProjectsModule {}
