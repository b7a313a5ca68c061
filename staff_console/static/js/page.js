// A console page with nothing live on it (the audit log): the shell alone.
import "./base.js";
