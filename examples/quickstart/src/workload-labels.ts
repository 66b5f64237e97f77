/** How the dashboard and the terminal name each job type ("Processing: Annual report 2025.pdf"). */
export const TYPE_LABELS: Record<string, string> = {
  'process-document': 'Processing',
  export: 'Export',
  'sync-crm': 'CRM sync',
  'send-invoice': 'Invoice',
  'send-email': 'Email',
};
