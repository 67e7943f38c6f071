import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AppError } from '../core/http/app-error.js';
import { Project } from './project.entity.js';

export interface Page<T> {
  items: T[];
  total: number;
}

/**
 * Every read and write of a user's projects carries the owner in its WHERE clause, so another
 * user's project is indistinguishable from one that does not exist: both are 404, never 403,
 * and no id leaks whether it is taken.
 */
@Injectable()
export class ProjectsService {
  constructor(@InjectRepository(Project) private readonly projects: Repository<Project>) {}

  create(ownerId: string, name: string): Promise<Project> {
    return this.projects.save(this.projects.create({ ownerId, name }));
  }

  async listOwn(ownerId: string, page: number, limit: number): Promise<Page<Project>> {
    const [items, total] = await this.projects.findAndCount({
      where: { ownerId },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: (page - 1) * limit,
      take: limit,
    });
    return { items, total };
  }

  async getOwn(ownerId: string, id: string): Promise<Project> {
    return (await this.projects.findOneBy({ id, ownerId })) ?? notFound();
  }

  async renameOwn(ownerId: string, id: string, name: string): Promise<Project> {
    // The owner check is part of the UPDATE itself, not a read before it.
    const { affected } = await this.projects.update({ id, ownerId }, { name });
    if (!affected) notFound();
    return this.getOwn(ownerId, id);
  }

  async deleteOwn(ownerId: string, id: string): Promise<void> {
    const { affected } = await this.projects.delete({ id, ownerId });
    if (!affected) notFound();
  }

  count(): Promise<number> {
    return this.projects.count();
  }

  async listAll(page: number, limit: number): Promise<Page<Project>> {
    const [items, total] = await this.projects.findAndCount({ order: { createdAt: 'DESC', id: 'DESC' }, skip: (page - 1) * limit, take: limit });
    return { items, total };
  }

  async delete(id: string): Promise<void> {
    const { affected } = await this.projects.delete({ id });
    if (!affected) notFound();
  }
}

function notFound(): never {
  throw new AppError('NOT_FOUND', 'No such project');
}
