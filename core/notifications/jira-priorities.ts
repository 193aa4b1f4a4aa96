/**
 * Jira's default priority scheme, lowest first (Atlassian, "What are priority levels in Jira"):
 * its own module so the subscriptions and the filter language can both use it without an
 * import circle.
 */
export const jiraPriorities = ['Lowest', 'Low', 'Medium', 'High', 'Highest'] as const;
