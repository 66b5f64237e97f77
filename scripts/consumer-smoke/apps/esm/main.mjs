import { memoryAdapter } from '@redrive/adapter-memory';
import { createQueue, JobRunner } from '@redrive/core';
import { createHttpHandler } from '@redrive/core/http';
import { z } from 'zod';
import { scenario } from './scenario.mjs';

console.log('esm', await scenario({ createQueue, JobRunner, memoryAdapter, createHttpHandler, z }));
