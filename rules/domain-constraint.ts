import { defineRule } from "../src/engine/rule.js";
import { strings } from "../src/model/ast.js";

interface DomainNode {
  CreateDomainStmt?: { domainname?: unknown; constraints?: Array<{ Constraint?: { contype?: string } }> };
  AlterDomainStmt?: { subtype?: string; typeName?: unknown; def?: { Constraint?: { contype?: string; skip_validation?: boolean } } };
}

export default defineRule({
  meta: {
    id: "domain-constraint",
    type: "suggestion",
    docs: { description: "CHECK constraints on domains (CREATE DOMAIN ... CHECK, ALTER DOMAIN ADD CONSTRAINT, ALTER DOMAIN SET NOT NULL): put the constraint on the table column instead.", preset: "all" },
    defaultSeverity: "warn",
    requires: { capabilities: ["domains"] },
    messages: {
      create: 'Domain "{{domain}}" carries a CHECK constraint: every column of the domain checks it on every write, and changing it later is an ALTER DOMAIN that scans every table using the domain while it holds their locks. Prisma does not see domains (schema.prisma only shows the base type).',
      alter: 'ALTER DOMAIN "{{domain}}" {{action}} checks every row of every column of the domain, in every table that uses it, within this migration, under locks that block writes on those tables until it is done.',
    },
    help: {
      create: 'Use the base type for the column and put the rule on the table: ALTER TABLE ... ADD CONSTRAINT ... CHECK (...) NOT VALID; then VALIDATE CONSTRAINT, which does not block writes. A CHECK on the table column can later be dropped or replaced per table.',
      alter: 'Add it with NOT VALID (ALTER DOMAIN "{{domain}}" ADD CONSTRAINT ... CHECK (...) NOT VALID) so only new values are checked, then run ALTER DOMAIN ... VALIDATE CONSTRAINT in a later migration; or move the CHECK onto the table columns.',
    },
  },
  create(context) {
    return {
      other(op) {
        const node = op.node as DomainNode;
        if (op.nodeType === "CreateDomainStmt") {
          const body = node.CreateDomainStmt;
          if (body?.constraints?.some((c) => c.Constraint?.contype === "CONSTR_CHECK")) context.report({ node: op, messageId: "create", data: { domain: strings(body.domainname).join(".") } });
        } else if (op.nodeType === "AlterDomainStmt") {
          const body = node.AlterDomainStmt;
          const domain = strings(body?.typeName).join(".");
          if (body?.subtype === "C" && body.def?.Constraint?.contype === "CONSTR_CHECK" && !body.def.Constraint.skip_validation) context.report({ node: op, messageId: "alter", data: { domain, action: "ADD CONSTRAINT ... CHECK" } });
          else if (body?.subtype === "O") context.report({ node: op, messageId: "alter", data: { domain, action: "SET NOT NULL" } });
        }
      },
    };
  },
});
