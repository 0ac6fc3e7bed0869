/**
 * MySQL migrations as Prisma writes them (prisma-engines' MySQL renderer: backquoted names, INDEX and
 * UNIQUE INDEX inside CREATE TABLE, one ALTER TABLE per foreign key), shared by the rule tests that run
 * on the MySQL dialect (`lockProvider: "mysql"`).
 */
export const MYSQL_INIT = `-- CreateTable
CREATE TABLE \`User\` (
    \`id\` INTEGER NOT NULL AUTO_INCREMENT,
    \`email\` VARCHAR(191) NOT NULL,
    \`name\` VARCHAR(191) NULL,
    \`role\` ENUM('USER', 'ADMIN') NOT NULL DEFAULT 'USER',
    \`createdAt\` TIMESTAMP(0) NULL DEFAULT CURRENT_TIMESTAMP(0),

    UNIQUE INDEX \`User_email_key\`(\`email\`),
    PRIMARY KEY (\`id\`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE \`Post\` (
    \`id\` INTEGER NOT NULL AUTO_INCREMENT,
    \`title\` VARCHAR(191) NOT NULL,
    \`authorId\` INTEGER NOT NULL,

    INDEX \`Post_authorId_idx\`(\`authorId\`),
    PRIMARY KEY (\`id\`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
`;

/** A case on the MySQL dialect after MYSQL_INIT. */
export const onMysql = <T extends object>(testCase: T): T & { lockProvider: string; history: string[] } => ({ lockProvider: "mysql", history: [MYSQL_INIT], ...testCase });
