-- An organization's default portal and e-mail language (null: each browser decides).
ALTER TABLE "Organization" ADD COLUMN "defaultLocale" TEXT;
