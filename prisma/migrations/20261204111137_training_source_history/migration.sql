-- AlterEnum
ALTER TYPE "TrainingSource" ADD VALUE 'history';
