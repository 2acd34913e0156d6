package event

import (
	"encoding/json"
	"fmt"

	"github.com/google/go-github/v62/github"

	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/app/store"
	"github.com/picketsec/picket/app/webhook"
)

// installation records an installation's life: created (with the
// repositories it was given), deleted, suspend, unsuspend and
// new_permissions_accepted.
func installation(d webhook.Delivery) (jobs.Plan, error) {
	var ev github.InstallationEvent
	if err := json.Unmarshal(d.Payload, &ev); err != nil {
		return jobs.Plan{}, fmt.Errorf("%w: installation: %v", webhook.ErrInvalidPayload, err)
	}
	in := store.InstallationEvent{ID: ev.GetInstallation().GetID(), Account: ev.GetInstallation().GetAccount().GetLogin(), Action: ev.GetAction()}
	if in.ID == 0 {
		return jobs.Plan{}, fmt.Errorf("%w: installation without id", webhook.ErrInvalidPayload)
	}
	switch in.Action {
	case "created":
		in.ReposAdded = fullNames(ev.Repositories)
	case "deleted", "suspend", "unsuspend", "new_permissions_accepted":
	default:
		return jobs.Plan{}, nil
	}
	return jobs.Plan{Installations: []store.InstallationEvent{in}}, nil
}

// installationRepos records the repositories an installation gained
// (added) or lost (removed).
func installationRepos(d webhook.Delivery) (jobs.Plan, error) {
	var ev github.InstallationRepositoriesEvent
	if err := json.Unmarshal(d.Payload, &ev); err != nil {
		return jobs.Plan{}, fmt.Errorf("%w: installation_repositories: %v", webhook.ErrInvalidPayload, err)
	}
	in := store.InstallationEvent{ID: ev.GetInstallation().GetID(), Account: ev.GetInstallation().GetAccount().GetLogin(), Action: ev.GetAction(),
		ReposAdded: fullNames(ev.RepositoriesAdded), ReposRemoved: fullNames(ev.RepositoriesRemoved)}
	if in.ID == 0 {
		return jobs.Plan{}, fmt.Errorf("%w: installation_repositories without installation id", webhook.ErrInvalidPayload)
	}
	if in.Action != "added" && in.Action != "removed" {
		return jobs.Plan{}, nil
	}
	return jobs.Plan{Installations: []store.InstallationEvent{in}}, nil
}

// fullNames lists the owner/name of each repository that has one.
func fullNames(rs []*github.Repository) []string {
	var out []string
	for _, r := range rs {
		if n := r.GetFullName(); n != "" {
			out = append(out, n)
		}
	}
	return out
}
