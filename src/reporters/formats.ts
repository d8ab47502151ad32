// The names of the report views, apart from the renderers: the CLI's option parsing needs
// only the names, and importing every renderer (HTML, JUnit's XML) just to parse argv would
// put their load time in front of every hunt's first batch.
export const REPORT_FORMATS = ['text', 'json', 'md', 'junit', 'github', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
