// audit-routes.js: the saved script shown in Claude Code's workflow documentation ("What the
// saved script looks like", code.claude.com/docs/en/workflows), unchanged below the meta header.
// agentwf runs it as Claude Code would:
//
//   agentwf exec examples/claude/audit-routes.js
//   cp examples/claude/audit-routes.js .claude/workflows/ && agentwf run --workflow audit-routes

export const meta = {
  name: 'audit-routes',
  description: 'Audit every route handler for missing auth checks',
}

const found = await agent('List every .ts file under src/routes/.', {
  schema: { type: 'object', required: ['files'], properties: { files: { type: 'array', items: { type: 'string' } } } },
})

const audits = await pipeline(found.files, file =>
  agent(`Audit ${file} for missing authentication checks.`, { label: file }),
)

return audits.filter(Boolean)
