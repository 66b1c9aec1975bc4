export declare const DASHBOARD_DIR: string;
export declare function dashboardIsStale(): boolean;
export declare function ensureDashboardBuilt(options?: { quiet?: boolean }): 'fresh' | 'built';
